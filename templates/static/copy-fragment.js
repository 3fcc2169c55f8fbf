// «Скопировать HTML-фрагмент таблицы»: the fragment's code goes into the clipboard and the page says so.
// Without a clipboard (an old browser, a page opened from disk) the link does what it does without JavaScript:
// it opens the fragment.
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest("a[data-copy-fragment]") : null;
  if (!link || !navigator.clipboard || !window.fetch || location.protocol === "file:") {
    return;
  }
  event.preventDefault();
  var status = link.closest("section").querySelector(".copy-status");
  fetch(link.href)
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.text();
    })
    .then(function (html) {
      return navigator.clipboard.writeText(html);
    })
    .then(
      function () {
        status.textContent = "Фрагмент скопирован. Вставьте его в редактор сайта в режиме HTML.";
      },
      function () {
        location.href = link.href;
      }
    );
});
