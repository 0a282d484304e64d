import { expect, test } from "bun:test";
import { debounceQueue } from "../src/index.ts";

test("changes in a burst make one batch; changes during a batch make the next, never overlapping", async () => {
  const batches: string[][] = [];
  let active = 0;
  let overlapped = false;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const queue = debounceQueue({
    delayMs: 5,
    onCrash: (error) => {
      throw error;
    },
    run: async (files) => {
      overlapped ||= active > 0;
      active++;
      batches.push([...files]);
      if (batches.length === 1) await gate;
      active--;
    },
  });
  queue.add("/a");
  queue.add("/b");
  queue.add("/a");
  while (batches.length === 0) await Bun.sleep(1);
  queue.add("/c"); // arrives while the first batch runs
  queue.add("/d");
  release();
  await queue.idle();
  await queue.close();
  expect(batches).toEqual([["/a", "/b"], ["/c", "/d"]]);
  expect(overlapped).toBe(false);
});

test("a batch that throws is reported and the queue goes on", async () => {
  const crashes: unknown[] = [];
  const ran: string[][] = [];
  const queue = debounceQueue({
    delayMs: 1,
    onCrash: (error) => crashes.push(error),
    run: async (files) => {
      ran.push([...files]);
      if (ran.length === 1) throw new Error("boom");
    },
  });
  queue.add("/x");
  await queue.idle();
  queue.add("/y");
  await queue.idle();
  await queue.close();
  expect(crashes.map((e) => (e as Error).message)).toEqual(["boom"]);
  expect(ran).toEqual([["/x"], ["/y"]]);
});
