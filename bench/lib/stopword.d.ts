// The part of stopword's API the benchmarks use (the package ships no types).
declare module 'stopword' {
  /** English stop words, lower case. */
  export const eng: string[];
}
