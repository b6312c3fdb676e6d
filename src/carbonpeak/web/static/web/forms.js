// A <select data-autosubmit> sends its form when changed (instead of an inline onchange handler, which the
// Content-Security-Policy refuses). Without JavaScript the form's own button still works.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
