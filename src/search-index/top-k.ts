/** Keeps the positions of the k best scores seen, best first. */
export class TopK {
  readonly positions: number[] = [];
  readonly scores: number[] = [];
  /** A score must beat this to get in. */
  floor = Number.NEGATIVE_INFINITY;

  constructor(private readonly k: number) {}

  offer(position: number, score: number): void {
    let at = this.scores.length;
    while (at > 0 && (this.scores[at - 1] as number) < score) at--;
    this.positions.splice(at, 0, position);
    this.scores.splice(at, 0, score);
    if (this.scores.length > this.k) {
      this.positions.pop();
      this.scores.pop();
    }
    if (this.scores.length === this.k) this.floor = this.scores[this.k - 1] as number;
  }
}
