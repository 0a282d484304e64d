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

test("close resolves only once the running batch has finished (so the database can close after it)", async () => {
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let finished = false;
  const queue = debounceQueue({
    delayMs: 1,
    onCrash: (error) => {
      throw error;
    },
    run: async () => {
      started();
      await gate;
      finished = true;
    },
  });
  queue.add("/x");
  await running;
  const closed = queue.close().then(() => finished);
  release();
  expect(await closed).toBe(true);
});

test("the delay runs from the last change: a change after the first one's delay, but within the last one's, joins the batch", async () => {
  const batches: string[][] = [];
  const queue = debounceQueue({
    delayMs: 400,
    onCrash: (error) => {
      throw error;
    },
    run: async (files) => {
      batches.push([...files]);
    },
  });
  // Timers fire in the order they are due, however late: b, c, d each come before the delay since the latest change ends.
  queue.add("/a");
  setTimeout(() => queue.add("/b"), 150);
  setTimeout(() => queue.add("/c"), 300);
  await new Promise<void>((r) => setTimeout(() => (queue.add("/d"), r()), 450));
  await queue.idle();
  await queue.close();
  expect(batches).toEqual([["/a", "/b", "/c", "/d"]]);
});
