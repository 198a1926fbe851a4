// Upvotes without a page reload; the forms work the same without JavaScript.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('upvote')) return;
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(String(response.status));
    const { upvotes, upvoted } = await response.json();
    form.querySelector('.count').textContent = String(upvotes);
    form.querySelector('input[name="upvoted"]').value = upvoted ? 'false' : 'true';
    button.setAttribute('aria-pressed', String(upvoted));
  } catch {
    form.submit();
  } finally {
    button.disabled = false;
  }
});
