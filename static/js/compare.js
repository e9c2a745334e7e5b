// The comparison page's picker: suggests any territory as one types and adds the chosen one to
// the comparison's address. Without this script the form sends the typed name (``add``), which
// the server resolves.

import { Combobox } from "./combobox.js";

const input = document.getElementById("compare-add");
if (input && input.dataset.suggestUrl) {
  const form = input.form;
  new Combobox(input, {
    url: input.dataset.suggestUrl,
    describe: (item) => [item.label, item.detail],
    onChoose: (item) => {
      const params = new URLSearchParams();
      for (const hidden of form.querySelectorAll('input[name="t"]')) params.append("t", hidden.value);
      if (!params.getAll("t").includes(item.slug)) params.append("t", item.slug);
      window.location.assign(`${form.action}?${params.toString()}`);
    },
    status: { count: form.dataset.suggestions, none: form.dataset.noSuggestion },
  });
}
