// Fastify's inject() builds its Cookie header with light-my-request, which uses
// the `cookie` package. The root package.json overrides it to 1.1.x: cookie 2
// declares Node >= 22, and npm warned EBADENGINE on every install under Node 20.
import { createRequire } from "node:module";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";

const fromFastify = createRequire(createRequire(import.meta.url).resolve("fastify"));
const fromLightMyRequest = createRequire(fromFastify.resolve("light-my-request"));

describe("Fastify's inject() with the cookie override", () => {
  it("sends the cookies it is given, encoded, and reads the ones set back", async () => {
    const app = Fastify();
    app.get("/", async (req, reply) => {
      reply.header("set-cookie", "seen=1; Path=/; HttpOnly");
      return { cookie: req.headers.cookie };
    });
    const res = await app.inject({ method: "GET", url: "/", cookies: { session: "a b;c", theme: "dark" } });
    expect(res.json()).toEqual({ cookie: "session=a%20b%3Bc; theme=dark" });
    expect(res.cookies).toEqual([{ name: "seen", value: "1", path: "/", httpOnly: true }]);
    await app.close();
  });

  it("resolves a cookie whose engines include this Node", () => {
    const { version, engines } = fromLightMyRequest("cookie/package.json") as {
      version: string;
      engines: { node: string };
    };
    expect(version).toMatch(/^1\.1\./);
    const minimum = Number(/>=\s*(\d+)/.exec(engines.node)?.[1]);
    expect(minimum).toBeLessThanOrEqual(Number(process.versions.node.split(".")[0]));
  });
});
