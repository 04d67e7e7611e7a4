// After htmx swaps in the next step or the feedback, move focus to its heading so screen
// reader and keyboard users continue from the new content, not from the top of the page.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target.querySelector("[data-focus]");
  if (target) {
    target.focus({ preventScroll: false });
  }
});
