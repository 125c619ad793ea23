/// The panel's only script, served from the panel itself (`keys/_assets/admin.js`) so that pages
/// keep a strict Content-Security-Policy: no inline script. Without it every page still works;
/// it adds the new key's Copy button.
enum AdminScript {
    static let text = """
        "use strict";
        // Copy buttons: <button data-copy="ID" hidden>, shown once this script runs.
        document.querySelectorAll("button[data-copy]").forEach(function (button) {
          var target = document.getElementById(button.getAttribute("data-copy"));
          if (!target) { return; }
          button.hidden = false;
          function copied() {
            button.textContent = "Copied";
            setTimeout(function () { button.textContent = "Copy"; }, 2000);
          }
          function select() {
            var range = document.createRange();
            range.selectNodeContents(target);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
          }
          function copySelection() {
            try { if (document.execCommand("copy")) { copied(); } } catch (error) { /* selected: the person copies */ }
          }
          button.addEventListener("click", function () {
            // Selected first, so that the key is ready for Ctrl+C whatever the clipboard says.
            select();
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(target.textContent).then(copied, copySelection);
            } else {
              copySelection();
            }
          });
        });
        """
}
