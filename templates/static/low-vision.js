/* «Версия для слабовидящих»: remembers the reader's choice from page to page.
 * The switch itself needs no script (see low-vision.css): the link goes to #lv and the sheet applies while
 * <body id="lv"> is the :target. This file only adds memory: it stores the choice in localStorage and puts
 * class "lv" on <html> before the first paint of every page. It is loaded from <head> on purpose (no flash of
 * the normal version) and is an external file because the site's Content-Security-Policy forbids inline scripts.
 */
(function () {
  "use strict";
  var KEY = "site-builder:low-vision";
  var root = document.documentElement;

  function remember(on) {
    root.classList.toggle("lv", on);
    try {
      localStorage.setItem(KEY, on ? "on" : "off");
    } catch (error) {
      // Storage switched off: the version still works on this page, as without JavaScript.
    }
  }

  function stored() {
    try {
      return localStorage.getItem(KEY) === "on";
    } catch (error) {
      return false;
    }
  }

  root.classList.toggle("lv", stored());
  if (location.hash === "#lv") {
    remember(true);
  }
  window.addEventListener("hashchange", function () {
    if (location.hash === "#lv") {
      remember(true);
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".lv-on, .lv-off");
    if (link) {
      remember(link.classList.contains("lv-on"));
    }
  });
})();
