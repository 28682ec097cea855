import { describe, expect, it } from "vitest";
import { body } from "./secret-corpus.js";
import { FORM_PATTERNS, SECRET_FORMS } from "./secret-forms.js";

// One token of each form, by the form's name: a name set beside another form's pattern fails here.
const SAMPLES: Readonly<Record<string, string>> = {
  "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_)": `ghp_${body(36)}`,
  "GitHub fine-grained personal access token": `github_pat_${body(40)}`,
  "GitLab personal access token": `glpat-${body(20)}`,
  "Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-)": `xoxb-${body(24)}`,
  "Slack incoming webhook URL": `https://hooks.slack.com/services/T${body(8)}/B${body(8)}/${body(24)}`,
  "AWS access key id": `AKIA${body(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
  "Google API key": `AIza${body(35)}`,
  "npm access token": `npm_${body(36)}`,
  "Anthropic API key": `sk-ant-api03-${body(40)}`,
  "OpenAI API key": `sk-proj-${body(40)}`,
  "Stripe key (sk_live_, rk_test_, pk_live_…)": `sk_live_${body(24)}`,
  "Prefixed key (sk-, rla_, pk_live_, rk-, whsec_, hf_)": `whsec_${body(24)}7`,
  "JSON Web Token": `eyJ${body(20)}.eyJ${body(30)}.${body(40)}`,
  "PEM private key": `-----BEGIN RSA PRIVATE KEY-----${body(64)}`,
  "URL userinfo": `https://user:${body(12)}@example.com/`,
  "Bearer credential": `Bearer ${body(30)}9`,
  "Basic or Token credential": `Basic ${body(20)}1`,
};

describe("SECRET_FORMS", () => {
  it("names each form beside its own pattern and hints, in masking's order", () => {
    expect(SECRET_FORMS.map((form) => form.name)).toEqual(Object.keys(SAMPLES));
    for (const [i, form] of SECRET_FORMS.entries()) {
      expect({ pattern: form.pattern, hints: form.hints }).toEqual(FORM_PATTERNS[i]);
      const sample = SAMPLES[form.name] ?? "";
      expect({ name: form.name, found: new RegExp(form.pattern).test(sample) }).toEqual({
        name: form.name,
        found: true,
      });
      expect(form.hints.some((hint) => sample.toLowerCase().includes(hint))).toBe(true);
    }
  });
});
