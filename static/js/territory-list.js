// The territory list page: the search box suggests any territory as one types and opens the
// chosen one's page. Without this script the form lists the matches on a results page.

import { Combobox } from "./combobox.js";

const input = document.getElementById("territory-q");
if (input && input.dataset.suggestUrl) {
  const form = input.form;
  new Combobox(input, {
    url: input.dataset.suggestUrl,
    describe: (item) => [item.label, item.detail],
    onChoose: (item) => window.location.assign(item.url),
    status: { count: form.dataset.suggestions, none: form.dataset.noSuggestion },
  });
}
