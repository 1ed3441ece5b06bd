import { PROJECT_ROOT, spawnChild, type Child } from "../../lib/children.ts";

/**
 * Two computers, stood in for by two network namespaces a test creates and joins with a veth
 * pair (root only). The addresses exist only inside those namespaces, and remove() deletes them.
 * Where namespaces cannot be made, `available` is false and the tests say so and skip.
 */
export interface TwoHosts {
  available: boolean;
  serverIp: string;
  clientIp: string;
  /** Creates the namespaces and the link between them (throws, saying which step failed). */
  create(): void;
  remove(): void;
  /** `bun <args>` inside one of them: "server" or "client". */
  bun(host: "server" | "client", args: string[], env?: Record<string, string>): Child;
  /** Any command inside one of them. */
  run(host: "server" | "client", cmd: string[], env?: Record<string, string>): Child;
}

function sh(cmd: string[]): boolean {
  return Bun.spawnSync(cmd, { stderr: "ignore", stdout: "ignore" }).exitCode === 0;
}

/** `tag` names the namespaces and links (unique per test file); `subnet` is "10.201.N". */
export function twoHosts(tag: string, subnet: string): TwoHosts {
  const server = `${tag}a`;
  const client = `${tag}b`;
  const serverIp = `${subnet}.1`;
  const clientIp = `${subnet}.2`;
  const available = (() => {
    if (process.getuid?.() !== 0 || !Bun.which("ip")) return false;
    const probe = `${tag}probe`;
    const ok = sh(["ip", "netns", "add", probe]);
    if (ok) sh(["ip", "netns", "del", probe]);
    return ok;
  })();
  const ns = (host: "server" | "client") => (host === "server" ? server : client);
  const run = (host: "server" | "client", cmd: string[], env: Record<string, string> = {}) =>
    spawnChild(["ip", "netns", "exec", ns(host), ...cmd], PROJECT_ROOT, env);
  return {
    available,
    serverIp,
    clientIp,
    create() {
      const steps = [
        ["ip", "netns", "add", server],
        ["ip", "netns", "add", client],
        ["ip", "link", "add", `${tag}0`, "type", "veth", "peer", "name", `${tag}1`],
        ["ip", "link", "set", `${tag}0`, "netns", server],
        ["ip", "link", "set", `${tag}1`, "netns", client],
        ["ip", "-n", server, "addr", "add", `${serverIp}/24`, "dev", `${tag}0`],
        ["ip", "-n", client, "addr", "add", `${clientIp}/24`, "dev", `${tag}1`],
        ["ip", "-n", server, "link", "set", `${tag}0`, "up"],
        ["ip", "-n", client, "link", "set", `${tag}1`, "up"],
        ["ip", "-n", server, "link", "set", "lo", "up"],
        ["ip", "-n", client, "link", "set", "lo", "up"],
      ];
      for (const step of steps) if (!sh(step)) throw new Error(`could not set up the namespaces: ${step.join(" ")}`);
    },
    remove() {
      for (const name of [server, client]) sh(["ip", "netns", "del", name]);
    },
    bun: (host, args, env) => run(host, [process.execPath, ...args], env),
    run,
  };
}
