/** A file mode as `ls -l` users read it in octal: `0644`, `0755`, `1777`. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}
