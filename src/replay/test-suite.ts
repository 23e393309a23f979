// The Test Suite: the platform's eight canonical sample calls, plus an alias and a deletion, as
// complete Spec messages; and builders for Spec events of each call type. Every message has a
// fixed timestamp and a unique messageId, so replay results and golden files never depend on
// the clock.
import { CALL_TYPES, type CallType } from "../core/vocabulary.js";

export type SpecMessage = Record<string, unknown> & { type: CallType; messageId: string };

/** One message replay sends, with the name reports show for it. */
export interface SuiteCase {
  name: string;
  type: CallType;
  /** test-suite | spec | fixture */
  group: string;
  message: SpecMessage;
}

const ANON = "5f8c2d1e-7a3b-4c9d-9e0f-1a2b3c4d5e6f";
const USER = "user-019mr8mf4r";
const GROUP = "account-initech";
const IP = "203.0.113.42";
const WEB_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36";
const SITE = "https://www.initech.example";

/** A platform timestamp `minutes` after the suite's fixed start, with the fields the platform adds. */
function stamps(minutes: number): Record<string, string> {
  const at = new Date(Date.UTC(2024, 2, 12, 14, minutes, 0, 0)).toISOString();
  const sent = new Date(Date.UTC(2024, 2, 12, 14, minutes, 0, 120)).toISOString();
  const received = new Date(Date.UTC(2024, 2, 12, 14, minutes, 0, 187)).toISOString();
  return { timestamp: at, originalTimestamp: at, sentAt: sent, receivedAt: received };
}

function webContext(page: {
  path: string;
  title: string;
  referrer?: string;
  search?: string;
}): Record<string, unknown> {
  return {
    ip: IP,
    locale: "en-US",
    timezone: "America/Chicago",
    userAgent: WEB_UA,
    userAgentData: { brands: [{ brand: "Chromium", version: "123" }], mobile: false, platform: "macOS" },
    library: { name: "analytics.js", version: "npm:next-1.70.0" },
    page: {
      path: page.path,
      referrer: page.referrer ?? "",
      search: page.search ?? "",
      title: page.title,
      url: `${SITE}${page.path}${page.search ?? ""}`,
    },
    screen: { width: 1512, height: 982, density: 2 },
  };
}

function mobileContext(): Record<string, unknown> {
  return {
    ip: IP,
    locale: "en-US",
    timezone: "America/Chicago",
    library: { name: "analytics-ios", version: "4.1.8" },
    app: { name: "Initech", version: "3.2.1", build: "3210", namespace: "com.initech.app" },
    device: {
      id: "B5372DB0-C21E-11E4-8DFC-AA07A5B093DB",
      manufacturer: "Apple",
      model: "iPhone15,2",
      name: "iPhone",
      type: "ios",
      adTrackingEnabled: false,
    },
    os: { name: "iOS", version: "17.4.1" },
    network: { wifi: true, cellular: false, carrier: "T-Mobile", bluetooth: false },
    screen: { width: 393, height: 852, density: 3 },
  };
}

function base(
  type: CallType,
  id: string,
  minutes: number,
  channel: "client" | "server" | "mobile",
): Record<string, unknown> {
  return { type, messageId: `devcenter-${id}`, channel, version: 2, integrations: {}, ...stamps(minutes) };
}

function message(fields: Record<string, unknown>): SpecMessage {
  return fields as SpecMessage;
}

/**
 * The version of the Test Suite below. The platform policy names the version a run must send
 * (`testSuite.version`); change this whenever the cases change.
 */
export const TEST_SUITE_VERSION = "1";

/** The platform's eight sample calls, then an alias and a deletion. A fresh copy on each call. */
export function testSuite(): SuiteCase[] {
  return [...webJourneyCases(), ...accountCases()].map((c) => ({ ...c, group: "test-suite" }));
}

/** The suite's first calls: an anonymous visitor on the web who signs up and joins an account. */
function webJourneyCases(): Omit<SuiteCase, "group">[] {
  const home = { path: "/", title: "Initech — TPS reports, simplified", referrer: "https://www.google.com/" };
  const signup = { path: "/signup", title: "Sign up — Initech", referrer: `${SITE}/`, search: "?plan=team" };
  return [
    {
      name: "Page — anonymous user visits the home page",
      type: "page",
      message: message({
        ...base("page", "suite-01-page-home", 0, "client"),
        anonymousId: ANON,
        name: "Home",
        properties: {
          name: "Home",
          path: home.path,
          referrer: home.referrer,
          search: "",
          title: home.title,
          url: `${SITE}/`,
        },
        context: {
          ...webContext(home),
          campaign: { name: "spring_launch", source: "google", medium: "cpc", term: "tps reports" },
        },
      }),
    },
    {
      name: "Page — anonymous user visits the signup page",
      type: "page",
      message: message({
        ...base("page", "suite-02-page-signup", 1, "client"),
        anonymousId: ANON,
        category: "Onboarding",
        name: "Signup",
        properties: {
          name: "Signup",
          category: "Onboarding",
          path: signup.path,
          referrer: signup.referrer,
          search: signup.search,
          title: signup.title,
          url: `${SITE}${signup.path}${signup.search}`,
        },
        context: webContext(signup),
      }),
    },
    {
      name: "Identify — anonymous user",
      type: "identify",
      message: message({
        ...base("identify", "suite-03-identify-anonymous", 2, "client"),
        anonymousId: ANON,
        traits: { email: "peter.gibbons@initech.example", newsletter: true },
        context: webContext(signup),
      }),
    },
    {
      name: "Track — user signs up",
      type: "track",
      message: message({
        ...base("track", "suite-04-track-signed-up", 3, "client"),
        anonymousId: ANON,
        userId: USER,
        event: "Signed Up",
        properties: {
          type: "organic",
          first_name: "Peter",
          last_name: "Gibbons",
          email: "peter.gibbons@initech.example",
          username: "pgibbons",
          title: "Software Engineer",
          plan: "team",
        },
        context: { ...webContext(signup), traits: { email: "peter.gibbons@initech.example" } },
      }),
    },
    {
      name: "Group — user joins an account",
      type: "group",
      message: message({
        ...base("group", "suite-05-group-account", 4, "client"),
        userId: USER,
        groupId: GROUP,
        traits: {
          name: "Initech",
          industry: "Technology",
          employees: "329",
          plan: "enterprise",
          website: SITE,
          createdAt: "2019-06-21T17:36:42.000Z",
          address: { street: "4120 Freidrich Lane", city: "Austin", state: "TX", postalCode: "78744", country: "USA" },
        },
        context: webContext({
          path: "/onboarding/team",
          title: "Join your team — Initech",
          referrer: `${SITE}/signup`,
        }),
      }),
    },
  ];
}

/** The suite's later calls: the user at work, on the mobile app, an alias and a deletion. */
function accountCases(): Omit<SuiteCase, "group">[] {
  return [
    {
      name: "Track — user enables an integration",
      type: "track",
      message: message({
        ...base("track", "suite-06-track-integration-enabled", 5, "client"),
        userId: USER,
        event: "Integration Enabled",
        properties: {
          integration_id: "int_slack",
          integration_name: "Slack",
          category: "Notifications",
          enabled_by: USER,
        },
        context: { ...webContext({ path: "/settings/integrations", title: "Integrations — Initech" }), groupId: GROUP },
      }),
    },
    {
      name: "Track — user invites a teammate",
      type: "track",
      message: message({
        ...base("track", "suite-07-track-invite-sent", 6, "client"),
        userId: USER,
        event: "Invite Sent",
        properties: {
          invitee_email: "samir.nagheenanajar@initech.example",
          invitee_first_name: "Samir",
          invitee_last_name: "Nagheenanajar",
          invitee_role: "Member",
        },
        context: { ...webContext({ path: "/settings/team", title: "Team — Initech" }), groupId: GROUP },
      }),
    },
    {
      name: "Screen — user opens the mobile app",
      type: "screen",
      message: message({
        ...base("screen", "suite-08-screen-home", 7, "mobile"),
        userId: USER,
        anonymousId: "3a12eab0-bca7-11e4-8dfc-aa07a5b093db",
        name: "Home",
        properties: { name: "Home", variation: "blue signup button" },
        context: mobileContext(),
      }),
    },
    {
      name: "Alias — anonymous user becomes known",
      type: "alias",
      message: message({
        ...base("alias", "suite-09-alias", 8, "server"),
        previousId: ANON,
        userId: USER,
        context: { ip: IP, library: { name: "analytics-node", version: "2.1.2" } },
      }),
    },
    {
      name: "Delete — user asks to be forgotten",
      type: "delete",
      message: message({
        ...base("delete", "suite-10-delete", 9, "server"),
        userId: USER,
        context: {},
      }),
    },
  ];
}

/** Spec events for one call type: a message using every reserved field the Spec defines for it. */
export function specEventsFor(type: CallType): SuiteCase[] {
  const spec = (name: string, msg: SpecMessage): SuiteCase => ({
    name: `Spec — ${name}`,
    type,
    group: "spec",
    message: msg,
  });
  switch (type) {
    case "identify":
      return identifySpecEvents(spec);
    case "track":
      return trackSpecEvents(spec);
    case "page":
      return [
        spec(
          "page with every reserved property",
          message({
            ...base("page", "spec-page-reserved-properties", 24, "client"),
            userId: USER,
            category: "Docs",
            name: "Pricing",
            properties: {
              name: "Pricing",
              path: "/pricing",
              referrer: `${SITE}/`,
              search: "?ref=nav",
              title: "Pricing — Initech",
              url: `${SITE}/pricing?ref=nav`,
              keywords: ["pricing", "plans"],
            },
            context: webContext({
              path: "/pricing",
              title: "Pricing — Initech",
              referrer: `${SITE}/`,
              search: "?ref=nav",
            }),
          }),
        ),
      ];
    case "screen":
      return [
        spec(
          "screen with properties",
          message({
            ...base("screen", "spec-screen-settings", 25, "mobile"),
            userId: USER,
            name: "Settings",
            properties: { name: "Settings", section: "Notifications" },
            context: mobileContext(),
          }),
        ),
      ];
    case "group":
      return [
        spec(
          "group with every reserved trait",
          message({
            ...base("group", "spec-group-reserved-traits", 26, "server"),
            userId: USER,
            groupId: GROUP,
            traits: {
              address: {
                street: "4120 Freidrich Lane",
                city: "Austin",
                state: "TX",
                postalCode: "78744",
                country: "USA",
              },
              avatar: `${SITE}/logo.png`,
              createdAt: "2019-06-21T17:36:42.000Z",
              description: "TPS reports, simplified.",
              email: "hello@initech.example",
              employees: "329",
              id: GROUP,
              industry: "Technology",
              name: "Initech",
              phone: "+1-512-555-0100",
              website: SITE,
              plan: "enterprise",
            },
            context: { ip: IP, library: { name: "analytics-node", version: "2.1.2" } },
          }),
        ),
      ];
    case "alias":
      return [
        spec(
          "alias from an anonymous id",
          message({
            ...base("alias", "spec-alias", 27, "client"),
            previousId: "39239-239239-239239-23923",
            userId: "user-507f191e81",
            context: webContext({ path: "/welcome", title: "Welcome — Initech" }),
          }),
        ),
      ];
    case "delete":
      return [
        spec(
          "delete a user",
          message({
            ...base("delete", "spec-delete", 28, "server"),
            userId: "user-507f191e81",
            context: {},
          }),
        ),
      ];
  }
}

/** Spec events of identify: every reserved trait. */
function identifySpecEvents(spec: (name: string, msg: SpecMessage) => SuiteCase): SuiteCase[] {
  return [
    spec(
      "identify with every reserved trait",
      message({
        ...base("identify", "spec-identify-reserved-traits", 20, "server"),
        userId: USER,
        anonymousId: ANON,
        traits: {
          address: { street: "4120 Freidrich Lane", city: "Austin", state: "TX", postalCode: "78744", country: "USA" },
          age: 34,
          avatar: `${SITE}/avatars/pgibbons.png`,
          birthday: "1990-02-19",
          company: { id: GROUP, name: "Initech", industry: "Technology", employee_count: 329, plan: "enterprise" },
          createdAt: "2024-03-12T14:03:00.000Z",
          description: "Writes TPS reports.",
          email: "peter.gibbons@initech.example",
          firstName: "Peter",
          lastName: "Gibbons",
          gender: "male",
          id: USER,
          phone: "+1-512-555-0142",
          title: "Software Engineer",
          username: "pgibbons",
          website: `${SITE}/~pgibbons`,
        },
        context: { ip: IP, library: { name: "analytics-node", version: "2.1.2" } },
      }),
    ),
  ];
}

/** Spec events of track: three of the Spec's semantic events. */
function trackSpecEvents(spec: (name: string, msg: SpecMessage) => SuiteCase): SuiteCase[] {
  return [
    spec(
      "track Order Completed",
      message({
        ...base("track", "spec-track-order-completed", 21, "server"),
        userId: USER,
        event: "Order Completed",
        properties: {
          checkout_id: "chk_4f9a",
          order_id: "ord_50314b8e9bcf",
          affiliation: "Initech Store",
          total: 27.5,
          subtotal: 22.5,
          revenue: 25.0,
          shipping: 3,
          tax: 2,
          discount: 2.5,
          coupon: "hasbros",
          currency: "USD",
          products: [
            {
              product_id: "507f1f77bcf86cd799439011",
              sku: "45790-32",
              name: "Monopoly: 3rd Edition",
              price: 19,
              quantity: 1,
              category: "Games",
              url: `${SITE}/products/monopoly`,
              image_url: `${SITE}/products/monopoly.jpg`,
            },
            {
              product_id: "505bd76785ebb509fc183733",
              sku: "46493-32",
              name: "Uno Card Game",
              price: 3.5,
              quantity: 1,
              category: "Games",
            },
          ],
        },
        context: { ip: IP, library: { name: "analytics-node", version: "2.1.2" } },
      }),
    ),
    spec(
      "track Product Viewed",
      message({
        ...base("track", "spec-track-product-viewed", 22, "client"),
        userId: USER,
        anonymousId: ANON,
        event: "Product Viewed",
        properties: {
          product_id: "507f1f77bcf86cd799439011",
          sku: "G-32",
          category: "Games",
          name: "Monopoly: 3rd Edition",
          brand: "Hasbro",
          variant: "200 pieces",
          price: 18.99,
          quantity: 1,
          currency: "USD",
          value: 18.99,
          url: `${SITE}/products/monopoly`,
          image_url: `${SITE}/products/monopoly.jpg`,
        },
        context: webContext({ path: "/products/monopoly", title: "Monopoly: 3rd Edition — Initech Store" }),
      }),
    ),
    spec(
      "track Application Opened",
      message({
        ...base("track", "spec-track-application-opened", 23, "mobile"),
        userId: USER,
        event: "Application Opened",
        properties: {
          from_background: false,
          referring_application: "com.apple.mobilesafari",
          url: "initech://home",
          version: "3.2.1",
          build: "3210",
        },
        context: mobileContext(),
      }),
    ),
  ];
}

/** Spec events for every call in `supports`, in the Spec's call order. */
export function specEvents(supports: readonly CallType[]): SuiteCase[] {
  return CALL_TYPES.filter((t) => supports.includes(t)).flatMap((t) => specEventsFor(t));
}

/**
 * The `i`-th message of a volume run: the suite's and Spec's messages of the supported calls in
 * turn, each with a unique messageId (so deduplication never hides load).
 */
export function volumeMessages(supports: readonly CallType[]): VolumeMessages {
  const pool = [...testSuite(), ...specEvents(supports.length ? supports : CALL_TYPES)]
    .filter((c) => supports.length === 0 || supports.includes(c.type))
    .map((c) => c.message);
  if (pool.length === 0) throw new Error("no call type to send");
  // Each pool message serialised once, split where its messageId goes: a body is then two
  // concatenations instead of a JSON.stringify per event.
  const SENTINEL = "\u0000devcenter-message-id\u0000";
  const parts = pool.map((m) => JSON.stringify({ ...m, messageId: SENTINEL }).split(JSON.stringify(SENTINEL)));
  const next = ((i: number) => {
    const m = pool[i % pool.length]!;
    return { ...m, messageId: `${m.messageId}-volume-${i}` };
  }) as VolumeMessages;
  next.json = (i) => {
    const k = i % pool.length;
    const [head, tail] = parts[k]!;
    return `${head}"${pool[k]!.messageId}-volume-${i}"${tail}`;
  };
  return next;
}

/** The i-th volume message, and the same message already serialised. */
export interface VolumeMessages {
  (i: number): SpecMessage;
  json(i: number): string;
}
