import { GetScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import type { RateAnchor } from "./schedule-times";

/**
 * When Scheduler created a schedule: a rate() schedule without a start date runs from then.
 * Only Scheduler's API knows it (GetSchedule's CreationDate); where it cannot be read (no
 * permission, no such schedule, an emulator without Scheduler), the reason is returned instead.
 */
export async function creationAnchor(scheduler: SchedulerClient, groupName: string, scheduleName: string): Promise<RateAnchor> {
  try {
    const schedule = await scheduler.send(new GetScheduleCommand({ GroupName: groupName, Name: scheduleName }));
    if (!schedule.CreationDate)
      return { kind: "unknown", why: `Scheduler's GetSchedule of ${groupName}/${scheduleName} gave no CreationDate` };
    // Scheduler fires to the second at best: a creation time's milliseconds are no part of a run's time.
    return { kind: "created", at: new Date(Math.floor(schedule.CreationDate.getTime() / 1000) * 1000) };
  } catch (error) {
    const { name, message } = error as Error;
    return { kind: "unknown", why: `Scheduler's GetSchedule of ${groupName}/${scheduleName} failed: ${name}: ${firstLine(message)}` };
  }
}

function firstLine(text: string | undefined): string {
  const line = (text ?? "").split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
