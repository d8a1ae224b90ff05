// The peak resident memory of this process alone, in MB: the kernel's high-water mark of its
// address space (VmHWM in /proc/self/status), which is what Lambda reports as Max Memory Used.
// process.resourceUsage().maxRSS is no substitute in a child process on Linux: getrusage keeps
// the largest RSS across execve, so a child of a 900 MB test runner reports 900 MB. It is the
// fallback only where /proc is missing (macOS), where it does not carry over.
const { readFileSync } = require("node:fs");

function peakRssMb() {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // no /proc: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

module.exports = { peakRssMb };
