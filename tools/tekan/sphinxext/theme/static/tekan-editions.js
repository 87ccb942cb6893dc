// The script switcher keeps the reader's place: the search query and the anchor go along to the twin page.
document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("a.tekan-switch")) {
    link.addEventListener("click", () => {
      const target = new URL(link.getAttribute("href"), window.location.href);
      target.search = window.location.search;
      target.hash = window.location.hash;
      link.href = target.href;
    });
  }
});
