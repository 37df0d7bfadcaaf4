/* Thumbs up/down with an optional comment under each answer (POST /api/feedback). */

import { apiJson } from "./api.js";
import { el, icon } from "./dom.js";
import { t } from "./i18n.js";
import { dom, saveConvo } from "./state.js";

export function buildFeedback(item) {
  const fb = item.feedback || null;
  const box = el("div", { class: "feedback", "data-feedback": item.id });
  if (fb && fb.sent) {
    box.append(el("p", { class: "feedback-thanks", role: "status" }, t("feedbackThanks")));
    return box;
  }
  const group = el("div", { class: "feedback-row", role: "group", "aria-label": t("feedbackPrompt") });
  group.append(el("span", { class: "feedback-prompt", "aria-hidden": "true" }, t("feedbackPrompt")));
  for (const rating of ["up", "down"]) {
    const pressed = fb && fb.rating === rating;
    group.append(
      el(
        "button",
        {
          type: "button",
          class: "btn btn-icon thumb thumb-" + rating + (pressed ? " is-on" : ""),
          "data-rating": rating,
          "aria-pressed": pressed ? "true" : "false",
          "aria-label": t(rating === "up" ? "thumbUp" : "thumbDown"),
          title: t(rating === "up" ? "thumbUp" : "thumbDown"),
          onclick: () => {
            item.feedback = { rating, sent: false, comment: (item.feedback && item.feedback.comment) || "" };
            saveConvo();
            const fresh = rerenderFeedback(item);
            const field = fresh && fresh.querySelector("textarea");
            if (field) {
              field.focus({ preventScroll: true });
              fresh.scrollIntoView({ block: "nearest" });
            }
          },
        },
        icon("thumb", rating === "down" ? "flip" : "")
      )
    );
  }
  box.append(group);
  if (fb && !fb.sent) {
    const fieldId = "fb-comment-" + item.id;
    const errorId = "fb-error-" + item.id;
    const textarea = el("textarea", {
      id: fieldId,
      class: "feedback-comment",
      rows: 2,
      maxlength: 2000,
      placeholder: t("commentPlaceholder"),
    });
    textarea.value = fb.comment || "";
    textarea.addEventListener("input", () => {
      fb.comment = textarea.value;
    });
    const error = el("p", { class: "feedback-error", id: errorId, role: "alert", hidden: true });
    const submit = el("button", { type: "submit", class: "btn btn-primary btn-small" }, t("sendFeedback"));
    const form = el(
      "form",
      { class: "feedback-form", novalidate: true },
      el("label", { for: fieldId }, t("commentLabel")),
      textarea,
      el("div", { class: "feedback-form-row" }, submit),
      error
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      submit.disabled = true;
      submit.textContent = t("sendingFeedback");
      error.hidden = true;
      try {
        await apiJson("/api/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            question: item.question,
            answer: item.response ? item.response.answer : "",
            rating: fb.rating,
            comment: textarea.value.trim(),
            citations: item.response ? item.response.citations : [],
          }),
        });
        fb.sent = true;
        saveConvo();
        const fresh = rerenderFeedback(item);
        const thanks = fresh && fresh.querySelector(".feedback-thanks");
        if (thanks) {
          thanks.setAttribute("tabindex", "-1");
          thanks.focus({ preventScroll: true });
        }
      } catch (err) {
        submit.disabled = false;
        submit.textContent = t("sendFeedback");
        error.hidden = false;
        error.textContent = t("feedbackFailed", { msg: err.message });
      }
    });
    box.append(form);
  }
  return box;
}

export function rerenderFeedback(item) {
  const old = dom.turns.querySelector('[data-feedback="' + CSS.escape(item.id) + '"]');
  if (!old) return null;
  const fresh = buildFeedback(item);
  old.replaceWith(fresh);
  return fresh;
}
