/* The chat's filters: region chips and the document select, remembered between visits. */

import { el } from "./dom.js";
import { t } from "./i18n.js";
import { dom, saveFilters, state } from "./state.js";

export function availableRegions() {
  const fromHealth = (state.health && state.health.regions) || [];
  const fromDocs = state.documents.map((d) => d.region).filter(Boolean);
  return Array.from(new Set([...fromHealth, ...fromDocs])).sort((a, b) => a.localeCompare(b, "fi"));
}

export function docTitle(id) {
  const d = state.documents.find((x) => x.id === id);
  return d ? d.title : id;
}

export function renderFilters() {
  const regions = availableRegions();
  dom.regionChips.replaceChildren(
    ...regions.map((region) => {
      const on = state.filters.regions.includes(region);
      return el(
        "button",
        {
          type: "button",
          class: "chip" + (on ? " is-on" : ""),
          "aria-pressed": on ? "true" : "false",
          "data-region": region,
          onclick: () => toggleRegion(region),
        },
        el("span", { class: "chip-check", "aria-hidden": "true" }, on ? "✓" : ""),
        region
      );
    })
  );

  // Document select: only documents of the chosen regions (all when none chosen), grouped by region.
  const chosen = state.filters.regions;
  const docs = state.documents.filter((d) => !chosen.length || chosen.includes(d.region));
  if (state.filters.documents.length && !docs.some((d) => d.id === state.filters.documents[0])) {
    state.filters.documents = [];
    saveFilters();
  }
  const groups = new Map();
  for (const d of docs) {
    const key = d.region || "—";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(d);
  }
  const options = [el("option", { value: "" }, t("allDocuments"))];
  for (const [region, list] of Array.from(groups.entries()).sort((a, b) => a[0].localeCompare(b[0], "fi"))) {
    options.push(
      el(
        "optgroup",
        { label: region },
        list.map((d) => el("option", { value: d.id }, d.title + (d.year ? " (" + d.year + ")" : "")))
      )
    );
  }
  dom.docSelect.replaceChildren(...options);
  dom.docSelect.value = state.filters.documents[0] || "";
  dom.docSelect.classList.toggle("is-on", Boolean(state.filters.documents.length));

  const summary = filterSummary(state.filters);
  dom.activeFilters.hidden = !summary;
  dom.activeFiltersText.textContent = summary ? t("activeFilters", { list: summary }) : "";
}

export function filterSummary(filters) {
  const parts = [...(filters.regions || [])];
  for (const id of filters.documents || []) parts.push(t("filterDocument", { title: docTitle(id) }));
  return parts.join(", ");
}

export function toggleRegion(region) {
  const set = new Set(state.filters.regions);
  if (set.has(region)) set.delete(region);
  else set.add(region);
  state.filters.regions = Array.from(set);
  saveFilters();
  renderFilters();
  const chip = dom.regionChips.querySelector('[data-region="' + CSS.escape(region) + '"]');
  if (chip) chip.focus();
}

export function currentFilters() {
  return {
    regions: state.filters.regions.slice(),
    documents: state.filters.documents.slice(),
    years: [],
  };
}
