// An ARIA 1.2 combobox over a JSON suggestion endpoint ({"results": [...]}): type, move with
// the arrow keys, choose with Enter or a tap, Escape closes. The page says what to do with a
// choice. Text is inserted with textContent only.
//
//   new Combobox(input, {url, describe: (item) => [label, detail], onChoose: (item) => …})

let counter = 0;

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export class Combobox {
  constructor(input, { url, describe, onChoose, status, minLength = 2 }) {
    counter += 1;
    this.input = input;
    this.url = url;
    this.describe = describe;
    this.onChoose = onChoose;
    this.minLength = minLength;
    this.items = [];
    this.active = -1;
    this.controller = null;
    this.listbox = document.createElement("ul");
    this.listbox.id = `combobox-${counter}-listbox`;
    this.listbox.className = "combobox-listbox";
    this.listbox.setAttribute("role", "listbox");
    if (input.labels && input.labels[0]) {
      this.listbox.setAttribute("aria-labelledby", input.labels[0].id || this.labelId(input.labels[0]));
    }
    this.listbox.hidden = true;
    this.status = document.createElement("p");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.messages = status || {};
    const wrap = document.createElement("div");
    wrap.className = "combobox";
    input.replaceWith(wrap);
    wrap.append(input, this.listbox, this.status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", debounce(() => this.fetch(), 150));
    input.addEventListener("keydown", (event) => this.key(event));
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
  }

  labelId(label) {
    label.id = `${this.listbox.id}-label`;
    return label.id;
  }

  async fetch() {
    const text = this.input.value.trim();
    if (text.length < this.minLength) {
      this.render([]);
      return;
    }
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    try {
      const response = await fetch(`${this.url}?${new URLSearchParams({ q: text })}`, {
        headers: { Accept: "application/json" },
        signal: this.controller.signal,
      });
      const data = response.ok ? await response.json() : { results: [] };
      this.render(data.results || []);
    } catch (error) {
      if (error.name !== "AbortError") this.render([]);
    }
  }

  render(items) {
    this.items = items;
    this.listbox.replaceChildren();
    items.forEach((item, index) => {
      const option = document.createElement("li");
      option.id = `${this.listbox.id}-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const [label, detail] = this.describe(item);
      const name = document.createElement("span");
      name.className = "option-name";
      name.textContent = label;
      option.append(name);
      if (detail) {
        const more = document.createElement("span");
        more.className = "option-detail";
        more.textContent = detail;
        option.append(" ", more);
      }
      // mousedown, not click: the input keeps the focus.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        this.choose(index);
      });
      this.listbox.append(option);
    });
    const open = items.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.highlight(-1);
    const text = this.input.value.trim();
    if (text.length >= this.minLength) {
      this.status.textContent = open
        ? (this.messages.count || "%s").replace("%s", items.length)
        : this.messages.none || "";
    }
  }

  highlight(index) {
    const options = this.listbox.querySelectorAll("[role=option]");
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(event) {
    const open = !this.listbox.hidden;
    if (event.key === "ArrowDown" && this.items.length) {
      event.preventDefault();
      if (!open) this.render(this.items);
      this.highlight((this.active + 1) % this.items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.highlight(this.active <= 0 ? this.items.length - 1 : this.active - 1);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    }
  }

  choose(index) {
    const item = this.items[index];
    if (!item) return;
    this.input.value = this.describe(item)[0];
    this.close();
    this.onChoose(item);
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }
}
