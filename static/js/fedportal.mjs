// Loaded as a module from the base layout: the CSP forbids inline script.
import { initAll } from '../dist/nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('nhsuk-frontend-supported')
initAll()

// Forms that ask for confirmation before an irreversible step (data-confirm).
document.querySelectorAll('form[data-confirm]').forEach((form) => {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault()
  })
})
