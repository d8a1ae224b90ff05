/** The peak resident memory of this process alone, in MB (VmHWM; see peak-rss.js). */
export declare function peakRssMb(): number;
