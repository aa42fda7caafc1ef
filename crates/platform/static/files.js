// Photos from phones: shrink big pictures before upload (a 12-megapixel photo over a weak
// township signal takes minutes), and fill a form's latitude/longitude from the phone.
(function () {
  "use strict";
  var MAX_SIDE = 1600;

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (img) {
      var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
      if (scale === 1 && file.size < 1024 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = file.name.replace(/\.\w+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", 0.82);
      });
    }).catch(function () { return file; });
  }

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-shrink]") || input.dataset.shrunk) return;
    var files = Array.prototype.slice.call(input.files || []);
    input.dataset.busy = "1";
    Promise.all(files.map(shrink)).then(function (out) {
      if (window.DataTransfer) {
        var dt = new DataTransfer();
        out.forEach(function (f) { dt.items.add(f); });
        input.dataset.shrunk = "1";
        input.files = dt.files;
        delete input.dataset.shrunk;
      }
      delete input.dataset.busy;
    });
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button[data-locate]");
    if (!button) return;
    e.preventDefault();
    var form = button.form;
    var note = button.parentNode.querySelector(".locate-note");
    if (!navigator.geolocation) {
      if (note) note.textContent = "此设备不支持定位";
      return;
    }
    if (note) note.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      if (note) note.textContent = "已定位（精度约 " + Math.round(pos.coords.accuracy) + " 米）";
    }, function () {
      if (note) note.textContent = "定位失败，请手工填写或跳过";
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
