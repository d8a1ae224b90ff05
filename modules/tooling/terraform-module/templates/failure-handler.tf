# The failure handler: reads the three failure queues (events the processor failed after its
# retries, invocations Scheduler could not deliver, batches of a fanned-out run that failed every
# delivery), keeps each event under failed/ in the bucket and announces it.
