import { describe, expect, it } from "vitest";
import { analyseEventName, normaliseName, suggestEventName, titleCase } from "../../src/spec/names.js";

describe("near-miss suggestions", () => {
  const table: [string, string][] = [
    ["Purchase", "Order Completed"],
    ["purchased", "Order Completed"],
    ["Order Complete", "Order Completed"],
    ["order_completed", "Order Completed"],
    ["orderCompleted", "Order Completed"],
    ["ORDER-COMPLETED", "Order Completed"],
    ["Order completed", "Order Completed"],
    ["Completed Order", "Order Completed"],
    ["Complete Order", "Order Completed"],
    ["install", "Application Installed"],
    ["App Installed", "Application Installed"],
    ["app_opened", "Application Opened"],
    ["Viewed Product", "Product Viewed"],
    ["Added Product", "Product Added"],
    ["Viewed Product Category", "Product List Viewed"],
    ["product view", "Product Viewed"],
    ["Coupon Apply", "Coupon Applied"],
    ["login", "Signed In"],
    ["sign_up", "Signed Up"],
    ["add to cart", "Product Added"],
    ["send message", "Message Sent"],
  ];
  for (const [name, suggestion] of table) {
    it(`${JSON.stringify(name)} → ${suggestion}`, () => expect(suggestEventName(name)).toBe(suggestion));
  }

  it("marks Ecommerce v1 names as legacy", () => {
    const v = analyseEventName("Viewed Product");
    expect(v.kind === "near-miss" && v.legacy).toBe(true);
  });

  it("accepts the Spec's names and ordinary custom names", () => {
    for (const name of [
      "Order Completed",
      "Application Installed",
      "Product Added to Wishlist",
      "Email Marked as Spam",
      "Signed Up",
    ])
      expect(analyseEventName(name).kind).toBe("semantic");
    for (const name of ["Report Exported", "Account Plan Changed", "User Registered", "Dashboard Shared"])
      expect(analyseEventName(name).kind).toBe("ok");
  });

  it("does not treat unrelated names as near misses", () => {
    for (const name of ["Order Shipped", "Report Completed", "Purchase Order Exported", "Installed Plugin Listed"])
      expect(suggestEventName(name)).toBeUndefined();
  });
});

describe("event name style", () => {
  it("suggests Title Case for other styles", () => {
    expect(analyseEventName("report_exported")).toEqual({
      kind: "style",
      suggestion: "Report Exported",
      reason: "case",
    });
    expect(analyseEventName("reportExported")).toEqual({
      kind: "style",
      suggestion: "Report Exported",
      reason: "case",
    });
    expect(analyseEventName("Report  Exported").kind).toBe("style");
    expect(analyseEventName("Export")).toEqual({ kind: "style", suggestion: "Export", reason: "one-word" });
  });
  it("normalises and title-cases", () => {
    expect(normaliseName("  Order_COMPLETED ")).toBe("order completed");
    expect(titleCase("product added to wishlist")).toBe("Product Added to Wishlist");
  });
});
