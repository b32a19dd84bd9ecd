// the status page ships as text inside the bundle (tsup's `text` loader, a vitest plugin in tests)
declare module '*.html' {
  const text: string;
  export default text;
}
