// Check-in at the door with the device's camera, where the browser reads QR codes itself
// (BarcodeDetector): the badge's code goes into the field and the form is sent, as a USB scanner does.
// Without BarcodeDetector the button stays hidden and the page works with a scanner or typing.
// While scanning, the camera starts again after each check-in, until it is stopped.
(function selectTheField() {
  // After a search the field keeps its words, selected: the next scan or name replaces them.
  const field = document.getElementById("check-in-field");
  if (field && document.activeElement === field) field.select();
})();

(function scanBadges() {
  const button = document.querySelector("[data-scan]");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const form = button.form;
  const field = form.elements.q;
  const video = document.getElementById(button.dataset.scan);
  const status = document.getElementById(`${button.dataset.scan}-status`);
  const startLabel = button.textContent;
  const SCANNING = "convene-check-in-scanning";
  let stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    button.textContent = startLabel;
  }

  async function start() {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) throw new Error("no QR codes");
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      button.textContent = button.dataset.stop;
      window.sessionStorage.setItem(SCANNING, "1");
      const look = async () => {
        if (!stream) return;
        try {
          const found = await detector.detect(video);
          if (found.length && found[0].rawValue) {
            field.value = found[0].rawValue;
            stop();
            form.requestSubmit();
            return;
          }
        } catch (error) {
          // A frame the detector could not read: try the next one.
        }
        window.setTimeout(look, 150);
      };
      look();
    } catch (error) {
      stop();
      window.sessionStorage.removeItem(SCANNING);
      status.textContent = button.dataset.unavailable;
    }
  }

  button.hidden = false;
  button.addEventListener("click", () => {
    if (stream) {
      stop();
      window.sessionStorage.removeItem(SCANNING);
      field.focus();
    } else {
      status.textContent = "";
      start();
    }
  });
  if (window.sessionStorage.getItem(SCANNING)) start();
})();
