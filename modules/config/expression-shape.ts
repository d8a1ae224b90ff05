const SHAPES: ReadonlyArray<RegExp> = [
  /^cron\(\S+( \S+){5}\)$/,
  /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/,
  /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/,
];

/** Returns why `expression` is not a cron(...), rate(...) or at(...) expression, or undefined. */
export function checkExpressionShape(expression: string): string | undefined {
  if (SHAPES.some((shape) => shape.test(expression))) return undefined;
  return `must be cron(<6 fields>), rate(<n> <unit>) or at(yyyy-mm-ddThh:mm:ss), got ${JSON.stringify(expression)}`;
}
