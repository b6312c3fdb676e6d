// A <select data-autosubmit> sends its form when changed (instead of an inline onchange handler, which the
// Content-Security-Policy refuses). Without JavaScript the form's own button still works.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A <form data-confirm="…"> asks before it is sent (instead of an inline onsubmit handler).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A <button data-print> prints the page (the login list of a new city), without an inline handler.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-print")) {
    window.print();
  }
});
