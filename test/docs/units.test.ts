import { describe, expect, it } from "vitest";
import { findFirstPerson, firstPersonMessage, mask } from "../../src/docs/first-person.js";
import { LineIndex } from "../../src/docs/lines.js";
import { DOCS_RULES as RULES } from "../../src/docs/rules/index.js";
import { countSentences } from "../../src/docs/rules/page.js";
import { readSvg, svgBoxes } from "../../src/docs/svg.js";
import { checkUtm, isPartnerLink, partnerHost } from "../../src/docs/utm.js";

describe("RULES", () => {
  it("has unique ids under docs/ or catalog/, each with a title and a description", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^(docs|catalog)\/[a-z-]+$/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.description.length).toBeGreaterThan(20);
      expect(["error", "warning", "info"]).toContain(r.severity);
    }
  });
});

describe("UTM parameters", () => {
  it("recognises the partner's site, its subdomains and parents", () => {
    const host = partnerHost("https://www.acme.example/")!;
    expect(host).toBe("acme.example");
    expect(isPartnerLink("https://acme.example/x", host)).toBe(true);
    expect(isPartnerLink("http://docs.acme.example", host)).toBe(true);
    expect(isPartnerLink("https://notacme.example", host)).toBe(false);
    expect(isPartnerLink("mailto:support@acme.example", host)).toBe(false);
    expect(isPartnerLink("https://acme.example", partnerHost("https://app.acme.example")!)).toBe(true);
    expect(partnerHost("not a url")).toBeUndefined();
  });

  it("gives the exact corrected URL, keeping the rest of it", () => {
    expect(checkUtm("https://acme.example").fixed).toBe(
      "https://acme.example/?utm_source=segmentio&utm_medium=docs&utm_campaign=partners",
    );
    expect(checkUtm("https://acme.example/a?b=c%20d&utm_medium=x#frag").fixed).toBe(
      "https://acme.example/a?b=c%20d&utm_source=segmentio&utm_medium=docs&utm_campaign=partners#frag",
    );
    const ok = "https://acme.example/?utm_campaign=partners&utm_source=segmentio&utm_medium=docs";
    expect(checkUtm(ok)).toEqual({ problems: [], fixed: ok });
    expect(
      checkUtm("https://acme.example/?utm_source=segmentio&utm_source=x&utm_medium=docs&utm_campaign=partners")
        .problems,
    ).toHaveLength(1);
  });
});

describe("first person", () => {
  const find = (text: string) => findFirstPerson(new LineIndex(text), [0]).map((o) => `${o.word}@${o.column}`);
  it("finds the pronouns and their contractions", () => {
    expect(find("We think our tool helps us; I'm sure my team and me agree. We’ll see.")).toEqual([
      "We@1",
      "our@10",
      "us@25",
      "I'm@29",
      "my@38",
      "me@50",
      "We’ll@60",
    ]);
  });
  it("leaves look-alikes alone", () => {
    expect(
      find(
        'US region, I/O, i.e. `we`, my-app, us-east-1, [x](https://a/us/our) we@acme.example {{ our }} <span title="we">x</span>',
      ),
    ).toEqual([]);
  });
  it("leaves UI labels alone: quoted, bold, or in Title Case inside a sentence (issue 8)", () => {
    expect(find("Choose between the Email Me Later and Remind Us buttons.")).toEqual([]);
    expect(
      find("Click \"Remind us\" or **Email me later**, then __About us__ and ‘Call me’; the 'Ask us' link too."),
    ).toEqual([]);
    expect(find("Open the About Us page, then My Account, and press Can I Help.")).toEqual([]);
    expect(find("## Contact Us")).toEqual([]);
  });
  it("still finds first person around labels, and says how to mark an ambiguous label", () => {
    expect(find("We send the Remind Us button to our users.")).toEqual(["We@1", "our@33"]);
    const at = (text: string) => findFirstPerson(new LineIndex(text), [0]).map((o) => [o.word, o.label ?? null]);
    // Opening a sentence before a capitalised word: a label, or the partner speaking?
    expect(at("My Account shows the events.")).toEqual([["My", "My Account"]]);
    expect(at("Then click Me to start.")).toEqual([["Me", "Me"]]);
    expect(at("We think so. Our team helps.")).toEqual([
      ["We", null],
      ["Our", null],
    ]);
    const [o] = findFirstPerson(new LineIndex("My Account shows the events."), [0]);
    expect(firstPersonMessage(o!)).toBe(
      '"My" reads as first person. If "My Account" is the name of something in the interface (a button, a menu), write it in bold (**My Account**), in quotes or as code; otherwise write about the partner and the customer instead (e.g. "Acme shows…", "you can…").',
    );
  });
  it("a wrapped sentence continues on the next line: a capitalised label there is still inside it", () => {
    const text = "Choose between the Email\nMe Later and Remind Us buttons.\nWe send them.";
    expect(findFirstPerson(new LineIndex(text), [0, 1, 2]).map((o) => `${o.word}@${o.line}:${o.column}`)).toEqual([
      "We@3:1",
    ]);
  });
  it("masks keep columns", () => {
    const line = "see `code` and [a](http://x) then we";
    expect(mask(line)).toHaveLength(line.length);
    expect(find(line)).toEqual(["we@35"]);
  });
});

describe("sentences", () => {
  it("counts sentences in an intro", () => {
    expect(countSentences("Acme turns events into insights.")).toBe(1);
    expect(countSentences("Acme turns events into insights. Teams love it")).toBe(2);
    expect(countSentences("Acme, e.g. a tool, does things. It works! Really?")).toBe(3);
    expect(countSentences("")).toBe(0);
  });
});

describe("SVG reader", () => {
  it("reads viewBox and absolute width/height", () => {
    const r = readSvg('<svg viewBox="0,0,120,40" width="12cm" height="4cm"/>');
    expect(r.problems).toEqual([]);
    const b = svgBoxes(r.root!);
    expect(b.viewBox).toMatchObject({ w: 120, h: 40 });
    expect(b.size).toMatchObject({ w: 12, h: 4 });
    expect(svgBoxes(readSvg('<svg width="100%" height="50"/>').root!).size).toBeUndefined();
  });
  it("accepts an XML declaration, comments, a standard DOCTYPE, fragments and embedded images", () => {
    const text =
      '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
      '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:use href="#a"/><svg:image href="data:image/png;base64,AAAA"/><svg:rect fill="url(#g)"/></svg:svg>';
    expect(readSvg(text).problems).toEqual([]);
  });
  it("flags what runs code or loads files", () => {
    const kinds = (t: string) => readSvg(t).problems.map((p) => `${p.kind}: ${p.message}`);
    expect(kinds('<?xml-stylesheet href="x.css"?><svg/>')[0]).toMatch(/^unsafe: an xml-stylesheet/);
    expect(kinds('<svg><a href="javascript:alert(1)"/></svg>')[0]).toMatch(/^unsafe: .*runs code/);
    expect(kinds('<svg><image href="data:image/svg+xml;base64,AAAA"/></svg>')[0]).toMatch(/^unsafe: /);
    expect(kinds("<svg><style>@import url(https://x/y.css);</style></svg>")).toHaveLength(2);
    expect(kinds('<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>')[0]).toMatch(
      /foreignObject/,
    );
    expect(kinds('<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg/>')[0]).toMatch(/^unsafe: .*external file/);
  });
  it("reports malformed XML with a position", () => {
    const p = readSvg('<svg>\n  <g a="1" a="2"/>\n</svg>').problems[0]!;
    expect(p).toMatchObject({ kind: "svg", offset: 17 }); // the second `a`;
    expect(readSvg("<svg></svg><svg></svg>").problems[0]!.message).toMatch(/more than one root/);
    expect(readSvg("<svg>x & y</svg>").problems[0]!.message).toMatch(/bare "&"/);
  });
});
