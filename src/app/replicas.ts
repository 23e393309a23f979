// Replicas of the App behind one webhook URL (or one delivery redelivered to another replica)
// coordinate through Redis when REDIS_URL is set, so a pull request never gets a second checklist
// comment or check run:
// - a lock per pull request with a lease: one replica at a time derives, decides and writes; the
//   holder renews the lease while it works, so a replica that dies holding it blocks the others
//   for one lease at most;
// - a dedupe key per delivery and pull request, set once the delivery was handled: the same
//   delivery arriving at a second replica (or redelivered) is skipped without a call to GitHub.
// Without Redis (or while Redis cannot be reached) the App works as before: in-process
// serialisation, and convergence across replicas (the next event deletes a duplicate comment).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export interface Replicas {
  /** Runs `task` while holding the pull request's lock across replicas. */
  hold<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** This delivery was already handled for this pull request (by any replica). */
  handled(delivery: string, key: string): Promise<boolean>;
  markHandled(delivery: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** One process on its own: nothing to coordinate. */
export const soloReplicas: Replicas = {
  hold: (_key, task) => task(),
  handled: async () => false,
  markHandled: async () => {},
  close: async () => {},
};

export interface RedisReplicasOptions {
  /** How long a lock outlives a holder that stopped renewing it (died). */
  leaseMs?: number;
  /** How often a waiting replica asks for the lock again. */
  pollMs?: number;
  /** How long a handled delivery is remembered (GitHub redelivers for days; a day covers retries). */
  dedupeSeconds?: number;
  /** A holder stops renewing after this long: a task hung on a request cannot block the others for ever. */
  maxHoldMs?: number;
  /** Key prefix (one Redis may serve several Apps). */
  prefix?: string;
  log?: (message: string) => void;
}

// Only the holder (its token) may extend or release a lock: a holder whose lease expired while it
// was paused must not release the lock the next replica now holds.
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class RedisReplicas implements Replicas {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly dedupeSeconds: number;
  private readonly maxHoldMs: number;
  private readonly prefix: string;
  private readonly log: (message: string) => void;

  constructor(
    private readonly redis: Redis,
    options: RedisReplicasOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 100;
    this.dedupeSeconds = options.dedupeSeconds ?? 24 * 3600;
    this.maxHoldMs = options.maxHoldMs ?? 10 * 60_000;
    this.prefix = options.prefix ?? "devcenter:";
    this.log = options.log ?? (() => {});
  }

  async hold<T>(key: string, task: () => Promise<T>): Promise<T> {
    const lock = `${this.prefix}lock:${key}`;
    const token = randomUUID();
    if (!(await this.acquire(lock, token))) return task();
    // Renewed at a third of the lease, so two missed renewals still leave it held.
    const until = Date.now() + this.maxHoldMs;
    const renew = setInterval(
      () => {
        if (Date.now() > until) {
          this.log(`still handling ${key} after ${this.maxHoldMs} ms: no longer renewing its lock`);
          return clearInterval(renew);
        }
        this.redis
          .eval(RENEW, 1, lock, token, String(this.leaseMs))
          .catch((error: Error) => this.log(`could not renew the lock on ${key}: ${error.message}`));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    try {
      return await task();
    } finally {
      clearInterval(renew);
      await this.redis
        .eval(RELEASE, 1, lock, token)
        .catch((error: Error) =>
          this.log(`could not release the lock on ${key} (it expires with its lease): ${error.message}`),
        );
    }
  }

  /** True once held; false when Redis cannot be asked (the task then runs unlocked: convergence as without Redis). */
  private async acquire(lock: string, token: string): Promise<boolean> {
    for (;;) {
      try {
        if ((await this.redis.set(lock, token, "PX", this.leaseMs, "NX")) === "OK") return true;
      } catch (error) {
        this.log(`Redis unavailable (${(error as Error).message}): handling ${lock} without the cross-replica lock`);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  async handled(delivery: string, key: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.doneKey(delivery, key))) === 1;
    } catch (error) {
      this.log(`Redis unavailable (${(error as Error).message}): handling delivery ${delivery} again`);
      return false;
    }
  }

  async markHandled(delivery: string, key: string): Promise<void> {
    try {
      await this.redis.set(this.doneKey(delivery, key), "1", "EX", this.dedupeSeconds);
    } catch (error) {
      this.log(`could not record delivery ${delivery} as handled: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private doneKey(delivery: string, key: string): string {
    return `${this.prefix}delivery:${delivery}:${key}`;
  }
}

/**
 * The coordination REDIS_URL asks for (the same Redis Probot shares its rate limiter through).
 * Commands time out rather than queue while Redis is away, so an outage costs a delivery at most a
 * few seconds before it is handled unlocked.
 */
export function replicasFromEnv(env: NodeJS.ProcessEnv, log?: (message: string) => void): Replicas {
  if (!env.REDIS_URL) return soloReplicas;
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 2000, enableOfflineQueue: true });
  redis.on("error", (error: Error) => log?.(`Redis: ${error.message}`));
  return new RedisReplicas(redis, log ? { log } : {});
}
