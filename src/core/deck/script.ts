// The deck's only script, the same in the standalone file and on the site's /qbr page.
/**
 * Keyboard navigation as a classic inline script (module scripts do not load from file://): arrows, PageUp/PageDown,
 * space, Home/End; the current slide is scaled to fit the window. Printing shows every slide.
 */
export const DECK_SCRIPT = `(function () {
  var deck = document.querySelector(".mb-deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var i = Math.max(0, Math.min(slides.length - 1, (parseInt((location.hash.match(/slide-(\\d+)/) || [])[1], 10) || 1) - 1));
  deck.classList.add("present");
  function fit() {
    var box = deck.parentElement.getBoundingClientRect();
    var width = Math.min(box.width || innerWidth, innerWidth), height = deck.dataset.fill === "window" ? innerHeight : width * 720 / 1280;
    var scale = Math.min(width / 1280, height / 720);
    slides.forEach(function (s) { s.style.transform = "scale(" + scale + ")"; s.style.transformOrigin = "top left"; });
    deck.style.height = 720 * scale + "px";
    deck.style.width = 1280 * scale + "px";
  }
  function show(n) {
    i = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === i); });
    deck.setAttribute("data-slide", String(i + 1));
    if (history.replaceState) history.replaceState(null, "", "#slide-" + (i + 1));
  }
  addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target; if (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) return;
    var k = e.key, n = null;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === " ") n = i + 1;
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp") n = i - 1;
    else if (k === "Home") n = 0; else if (k === "End") n = slides.length - 1;
    if (n === null) return;
    e.preventDefault(); show(n);
  });
  addEventListener("resize", fit);
  show(i); fit();
})();`;
