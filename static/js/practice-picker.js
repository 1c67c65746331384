// The contract form's practice search (templates/contracts/held/_practice_picker.html).
// Without JavaScript, Enter in any field presses the form's first button,
// which is "Find practices": the form comes back as typed, unsaved. With it,
// Enter in the search box finds practices and Enter elsewhere saves, as on
// every other form.
const picker = document.querySelector('[data-module="fp-practice-picker"]');
if (picker) {
  const form = picker.closest("form");
  const find = picker.querySelector('button[name="find_practices"]');
  const save = Array.from(form.querySelectorAll('button[type="submit"]')).find(
    (button) => !picker.contains(button),
  );
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT" || field.type === "checkbox") return;
    const button = picker.contains(field) ? find : save;
    if (button) {
      event.preventDefault();
      form.requestSubmit(button);
    }
  });
}
