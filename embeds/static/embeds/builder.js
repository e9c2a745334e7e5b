// The "embed this map" page: a button that copies the snippet (the textarea stays selectable
// for browsers without the clipboard API, or pages served without HTTPS).
const code = document.getElementById("embed-code");
const button = document.querySelector("[data-copy-code]");
const status = document.querySelector("[data-copy-status]");

if (code && button && navigator.clipboard) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.value);
      status.textContent = button.dataset.copied;
    } catch {
      code.select();
      status.textContent = button.dataset.failed;
    }
  });
}
