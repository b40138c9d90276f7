/** A settlement file we refuse, with the 1-based line and the reason: nothing of such a file is booked. */
export class SettlementParseError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}`);
    this.name = 'SettlementParseError';
  }
}
