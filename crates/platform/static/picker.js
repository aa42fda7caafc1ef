// Long check-box lists (a group's members, a warning's recipients): filter the rows by text
// and by a column, tick or untick what is shown, and count what is ticked.
// Markup: a container with data-picker, rows with data-text and data-kind, and inside the
// container [data-picker-text], [data-picker-kind], [data-picker-all], [data-picker-none] and
// [data-picker-count].
(function () {
  "use strict";

  function setUp(picker) {
    var rows = picker.querySelectorAll("tr[data-text]");
    var text = picker.querySelector("[data-picker-text]");
    var kind = picker.querySelector("[data-picker-kind]");
    var count = picker.querySelector("[data-picker-count]");

    function recount() {
      if (count) count.textContent = "已选 " + picker.querySelectorAll("tbody input:checked").length + " 人";
    }
    function filter() {
      var t = text ? text.value.trim() : "";
      var k = kind ? kind.value : "";
      rows.forEach(function (row) {
        var ok = (!t || row.dataset.text.indexOf(t) >= 0) && (!k || row.dataset.kind === k);
        row.hidden = !ok;
      });
    }
    function tick(on) {
      rows.forEach(function (row) {
        if (!row.hidden) row.querySelector("input[type=checkbox]").checked = on;
      });
      recount();
    }
    if (text) text.addEventListener("input", filter);
    if (kind) kind.addEventListener("change", filter);
    picker.addEventListener("change", recount);
    var all = picker.querySelector("[data-picker-all]");
    var none = picker.querySelector("[data-picker-none]");
    if (all) all.addEventListener("click", function () { tick(true); });
    if (none) none.addEventListener("click", function () { tick(false); });
    recount();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  });
})();
