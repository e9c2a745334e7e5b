// The areas an initiative serves (submission and correction forms): the text input suggests
// territories of any level as one types; a choice becomes a ticked box, unticked to remove.
// Without this script the typed names are resolved by the server (semicolons between them).

import { Combobox } from "./combobox.js";

function setUp(root) {
  const input = root.querySelector('input[type="text"]');
  const chosen = root.querySelector("[data-areas-chosen]");
  if (!input || !chosen) return;

  function add(item) {
    const existing = [...chosen.querySelectorAll("input")].find((box) => box.value === item.slug);
    if (existing) {
      existing.checked = true;
      return;
    }
    const row = document.createElement("li");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = input.name;
    box.value = item.slug;
    box.id = `area-${item.slug}`;
    box.checked = true;
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.append(item.label, " ");
    const kind = document.createElement("span");
    kind.className = "muted";
    kind.textContent = `(${item.detail})`;
    label.append(kind);
    row.append(box, " ", label);
    chosen.append(row);
  }

  new Combobox(input, {
    url: root.dataset.suggestUrl,
    describe: (item) => [item.label, item.detail],
    status: { count: root.dataset.msgCount, none: root.dataset.msgNone },
    onChoose: (item) => {
      add(item);
      input.value = "";
      input.focus();
    },
  });
}

document.querySelectorAll("[data-areas-field]").forEach(setUp);
