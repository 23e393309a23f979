// The change check's comparison: the approved manifest against the pull request's, as a list of
// changes, each breaking or a notice, pointing at the place in the new manifest it concerns (a
// removal at the key that held what was removed). Pure and linear in the manifest's size: settings
// and calls are matched through maps, so 10,000 settings cost what 10 do, times a thousand.
import { msg, type Message } from "../core/markdown.js";
import type { Component, Manifest, Setting } from "../manifest/types.js";
import { componentLabel } from "../manifest/component-label.js";
import type { ChangeRuleId } from "./rules.js";

export interface Change {
  ruleId: ChangeRuleId;
  breaking: boolean;
  /** One sentence: what changed (the caller adds what to do about it); values from the manifests escaped in its Markdown. */
  message: Message;
  /** JSON pointer into the new manifest: the changed value, or the key that held what was removed. */
  pointer: string;
  /** Point at the key (a removal), not the value. */
  atKey?: boolean;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * Old component index → new component index, by type and style, then name, then order. Each
 * pairing takes the first new component still free: queues in order with a read position, so
 * 10,000 components cost what 10 do, times a thousand.
 */
export function matchComponents(before: readonly Component[], after: readonly Component[]): Map<number, number> {
  const kind = (c: Component) => `${c.type}\u0000${"style" in c ? c.style : ""}`;
  const named = (c: Component) => `${kind(c)}\u0000${c.name}`;
  const byKind = new Queues();
  const byName = new Queues();
  after.forEach((c, i) => {
    byKind.add(kind(c), i);
    if (c.name !== undefined) byName.add(named(c), i);
  });
  const out = new Map<number, number>();
  const taken = new Set<number>();
  const pair = (i: number, j: number | undefined) => {
    if (j === undefined) return;
    out.set(i, j);
    taken.add(j);
  };
  // Names first, so that two webhooks swapping places still pair with their own settings.
  before.forEach((c, i) => {
    if (c.name !== undefined) pair(i, byName.next(named(c), taken));
  });
  before.forEach((c, i) => {
    if (!out.has(i)) pair(i, byKind.next(kind(c), taken));
  });
  return out;
}

/** Indices in order under a key, read front to back: `next` gives the first one not yet taken. */
class Queues {
  private lists = new Map<string, { items: number[]; at: number }>();
  add(key: string, index: number): void {
    const q = this.lists.get(key);
    if (q) q.items.push(index);
    else this.lists.set(key, { items: [index], at: 0 });
  }
  next(key: string, taken: ReadonlySet<number>): number | undefined {
    const q = this.lists.get(key);
    if (!q) return undefined;
    while (q.at < q.items.length && taken.has(q.items[q.at]!)) q.at++;
    return q.items[q.at];
  }
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changes from `before` (approved) to `after` (the pull request's head). */
export function compareManifests(before: Manifest, after: Manifest): Change[] {
  const out: Change[] = [];
  const add = (ruleId: ChangeRuleId, breaking: boolean, message: Message, pointer: string, atKey = false) =>
    out.push({ ruleId, breaking, message, pointer, ...(atKey ? { atKey } : {}) });

  // The App as customers see it.
  const a0 = isObject(before.app) ? before.app : ({} as Loose);
  const a1 = isObject(after.app) ? after.app : ({} as Loose);
  if (a0.slug !== a1.slug)
    add(
      "change/slug",
      true,
      msg`\`app.slug\` changed from \`${a0.slug}\` to \`${a1.slug}\`: customers' connections, the OAuth scope and stream events all name the slug`,
      "/app/slug",
    );
  if (a0.name !== a1.name)
    add("change/listing", false, msg`\`app.name\` changed from "${a0.name}" to "${a1.name}"`, "/app/name");
  if (a0.description !== a1.description)
    add("change/listing", false, msg`\`app.description\` changed`, "/app/description");
  if (a0.website !== a1.website)
    add("change/listing", false, msg`\`app.website\` changed to ${a1.website}`, "/app/website");
  if (!sameJson(a0.categories, a1.categories))
    add(
      "change/categories",
      false,
      msg`\`app.categories\` changed from ${list(a0.categories).join(", ") || "none"} to ${list(a1.categories).join(", ") || "none"}`,
      "/app/categories",
    );
  for (const k of ["logo", "mark"] as const)
    if (a0[k] !== a1[k]) add("change/logo", false, msg`\`app.${k}\` now points at ${a1[k]}`, `/app/${k}`);
  const d0 = isObject(before.docs) ? before.docs : {};
  const d1 = isObject(after.docs) ? after.docs : {};
  for (const k of ["segment", "catalog"] as const) {
    if (d0[k] !== d1[k])
      add(
        "change/docs",
        false,
        msg`\`docs.${k}\` ${d1[k] === undefined ? msg`was removed` : msg`now points at ${d1[k]}`}`,
        d1[k] === undefined ? "/docs" : `/docs/${k}`,
        d1[k] === undefined,
      );
  }

  // Components.
  const c0 = list<Component>(before.components);
  const c1 = list<Component>(after.components);
  const pairs = matchComponents(c0, c1);
  const matched = new Set(pairs.values());
  c0.forEach((c, i) => {
    const j = pairs.get(i);
    if (j === undefined) {
      add(
        "change/component-removed",
        true,
        msg`The ${componentLabel(c, i)} component was removed: customers who enabled it lose it`,
        "/components",
        true,
      );
      return;
    }
    compareComponent(c, c1[j]!, `/components/${j}`, componentLabel(c1[j]!, j), add);
  });
  c1.forEach((c, j) => {
    if (!matched.has(j))
      add("change/added", false, msg`A ${componentLabel(c, j)} component was added`, `/components/${j}`);
  });
  return out;
}

type Add = (ruleId: ChangeRuleId, breaking: boolean, message: Message, pointer: string, atKey?: boolean) => void;

function compareComponent(before: Component, after: Component, at: string, label: string, add: Add): void {
  const b = before as unknown as Loose;
  const a = after as unknown as Loose;
  if (b.name !== a.name && b.name !== undefined)
    add("change/listing", false, msg`${label}: the component's name changed from "${b.name}"`, `${at}/name`);
  // Calls: `supports` of a subscription, `emits` of a stream.
  for (const key of ["supports", "emits"] as const) {
    const was = list<string>(b[key]);
    const now = new Set(list<string>(a[key]));
    const removed = was.filter((x) => !now.has(x));
    const wasSet = new Set(was);
    const added = [...now].filter((x) => !wasSet.has(x));
    const where = a[key] === undefined ? at : `${at}/${key}`;
    if (removed.length)
      add(
        "change/call-removed",
        true,
        msg`${label}: no longer ${key === "supports" ? "handles" : "sends"} ${removed.join(", ")} (removed from \`${key}\`)`,
        where,
        a[key] === undefined,
      );
    if (added.length)
      add(
        "change/added",
        false,
        msg`${label}: now ${key === "supports" ? "handles" : "sends"} ${added.join(", ")}`,
        where,
      );
  }
  const h0 = hostOf(isObject(b.webhook) ? b.webhook.url : undefined);
  const h1 = hostOf(isObject(a.webhook) ? a.webhook.url : undefined);
  if (h0 && h0 !== h1)
    add(
      "change/webhook-host",
      true,
      msg`${label}: the webhook host changed from ${h0} to ${h1 ?? "none"}: deliveries to existing connections would go elsewhere`,
      `${at}/webhook${a.webhook === undefined ? "" : "/url"}`,
      a.webhook === undefined,
    );
  if (b.type === "plugin" && !sameJson(b.global, a.global)) {
    add(
      "change/plugin-global",
      true,
      msg`${label}: \`global\` changed from \`${JSON.stringify(b.global ?? null)}\` to \`${JSON.stringify(a.global ?? null)}\`: pages that use the old global break`,
      a.global === undefined ? at : `${at}/global`,
      a.global === undefined,
    );
  }
  compareSettings(list<Setting>(b.settings), list<Setting>(a.settings), at, label, a.settings !== undefined, add);
}

function compareSettings(
  before: Setting[],
  after: Setting[],
  at: string,
  label: string,
  hasKey: boolean,
  add: Add,
): void {
  const settingsAt = hasKey ? `${at}/settings` : at;
  const now = new Map<string, number>();
  after.forEach((s, j) => {
    if (isObject(s) && typeof s.key === "string" && !now.has(s.key)) now.set(s.key, j);
  });
  const was = new Set(before.filter(isObject).map((s) => s.key));
  // A key that disappears while a new key takes its label is a rename, said as one.
  const newByLabel = new Map<string, number>();
  after.forEach((s, j) => {
    if (isObject(s) && !was.has(s.key) && typeof s.label === "string" && !newByLabel.has(s.label))
      newByLabel.set(s.label, j);
  });
  const renamedTo = new Set<number>();
  for (const s of before) {
    if (!isObject(s)) continue;
    const j = now.get(s.key);
    if (j === undefined) {
      const r = newByLabel.get(s.label);
      if (r !== undefined && !renamedTo.has(r)) {
        renamedTo.add(r);
        add(
          "change/setting-renamed",
          true,
          msg`${label}: setting "${s.label}" is now keyed \`${after[r]!.key}\` instead of \`${s.key}\`: customers' saved values are stored under the old key`,
          `${at}/settings/${r}/key`,
        );
      } else {
        add(
          "change/setting-removed",
          true,
          msg`${label}: setting \`${s.key}\` ("${s.label}") was removed: customers' values for it are dropped`,
          settingsAt,
          true,
        );
      }
      continue;
    }
    const n = after[j]!;
    const p = `${at}/settings/${j}`;
    if (s.type !== n.type)
      add(
        "change/setting-type",
        true,
        msg`${label}: setting \`${s.key}\` changed type from ${s.type} to ${n.type}: saved values may not fit`,
        `${p}/type`,
      );
    if (!s.required && n.required)
      add(
        "change/setting-required",
        true,
        msg`${label}: setting \`${s.key}\` is now required: existing connections have no value for it`,
        `${p}/required`,
      );
    if (s.sensitive && !n.sensitive)
      add(
        "change/sensitive-off",
        true,
        msg`${label}: setting \`${s.key}\` is no longer \`sensitive\`: stored secrets would become readable`,
        n.sensitive === undefined ? p : `${p}/sensitive`,
        n.sensitive === undefined,
      );
    if (Array.isArray(s.choices)) {
      const keep = new Set(list<string>(n.choices));
      const dropped = s.choices.filter((c) => !keep.has(c));
      if (dropped.length && s.type === n.type)
        add(
          "change/choices-narrowed",
          true,
          msg`${label}: setting \`${s.key}\` no longer offers ${dropped.map((c) => `"${c}"`).join(", ")}: connections that chose it break`,
          n.choices === undefined ? p : `${p}/choices`,
          n.choices === undefined,
        );
    }
    if (s.description !== n.description || s.label !== n.label)
      add(
        "change/description",
        false,
        msg`${label}: setting \`${s.key}\` has a new ${s.label !== n.label ? "label" : "description"}`,
        s.label !== n.label ? `${p}/label` : `${p}/description`,
      );
    if (!sameJson(s.default, n.default))
      add(
        "change/description",
        false,
        msg`${label}: setting \`${s.key}\` has a new default`,
        n.default === undefined ? p : `${p}/default`,
      );
  }
  after.forEach((n, j) => {
    if (!isObject(n) || was.has(n.key) || renamedTo.has(j) || now.get(n.key) !== j) return;
    const p = `${at}/settings/${j}`;
    if (n.required && n.default === undefined) {
      add(
        "change/setting-required-added",
        true,
        msg`${label}: a new required setting \`${n.key}\` without a default: existing connections have no value for it`,
        `${p}/key`,
      );
    } else
      add(
        "change/added",
        false,
        msg`${label}: a new ${n.required ? "required setting with a default" : "optional setting"} \`${n.key}\``,
        `${p}/key`,
      );
  });
}
