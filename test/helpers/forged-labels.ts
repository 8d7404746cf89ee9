/**
 * Labels an agent can write on its own session that are not in the exact
 * form mosaic writes, each made from the session's real label: every path
 * that reads labels must take each of them for no label at all. `own` is
 * the agent's pane, `other` another pane the forger would like a message
 * or a signal to go to.
 */
export function forgedLabels(real: string, other: string): [string, string][] {
  const body = real.slice("v2 ".length);
  return [
    ["a repeated key", `${real} pane=${other}`],
    ["another version", `v3 ${body}`],
    ["no version", body],
    ["an unknown key", `${real} owner=me`],
    ["a token without a key", `${real} =1`],
    ["a token without =", `${real} managed`],
    ["two spaces", real.replace(" ", "  ")],
    ["a control character, shown as ?", `${real}\x01pane=${other}`],
    ["a malformed value", real.replace("managed=1", "managed=yes")],
    ["a pane that is not a pane id", real.replace(/pane=%\d+/, `pane=${other}x`)],
  ];
}
