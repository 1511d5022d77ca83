// Progressive enhancement of the repeat-rule picker (templates/staff/_recurrence.html):
// hide the fields the chosen kind and end do not use. The form works without this.
(function () {
  "use strict";
  var picker = document.getElementById("herhaling");
  if (!picker) { return; }
  var kind = document.getElementById("p-herhaling");
  var end = document.getElementById("p-einde");
  function update() {
    picker.querySelectorAll("[data-kinds]").forEach(function (part) {
      part.hidden = kind !== null && part.dataset.kinds.split(" ").indexOf(kind.value) < 0;
    });
    picker.querySelectorAll("[data-ends]").forEach(function (part) {
      part.hidden = end !== null && part.dataset.ends !== end.value;
    });
  }
  if (kind) { kind.addEventListener("change", update); }
  if (end) { end.addEventListener("change", update); }
  update();
}());
