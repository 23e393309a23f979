// The App's checklist comment for one integration, as the Markdown tests render it: a pull request
// not yet submitted, one integration at the repository's root, the fields a test does not name
// left empty.
import { type IntegrationView, renderComment } from "../../src/app/text.js";

export function appComment(integration: Partial<IntegrationView> & Pick<IntegrationView, "readyFor">): string {
  return renderComment({
    integrations: [
      {
        root: "",
        name: "Acme",
        slug: "acme",
        next: "public-beta",
        errors: 0,
        warnings: 0,
        blocking: [],
        checklist: [],
        ...integration,
      },
    ],
    outOfScope: [],
    submitted: false,
    draft: false,
    reviewers: "the reviewers",
    stateMarker: "<!-- state -->",
  });
}
