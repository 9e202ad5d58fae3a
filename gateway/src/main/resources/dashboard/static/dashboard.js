// Keeps the routes board live: re-reads its rows every few seconds (server-rendered, same
// template) and swaps them in. No library, nothing loaded from elsewhere.
(function () {
	'use strict';
	const REFRESH_MILLIS = 3000;

	function refresh(rows) {
		fetch(rows.dataset.refresh, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
			.then(function (response) {
				// signed out (session expired): back to the login page
				if (response.redirected || response.status === 401 || response.status === 403) {
					window.location.assign('/dashboard/login');
					return null;
				}
				return response.ok ? response.text() : null;
			})
			.then(function (html) {
				if (html) {
					const template = document.createElement('template');
					template.innerHTML = html.trim();
					const fresh = template.content.querySelector('tbody');
					if (fresh) {
						rows.replaceChildren(...fresh.children);
					}
				}
			})
			.catch(function () { /* the next round tries again */ });
	}

	document.addEventListener('DOMContentLoaded', function () {
		const rows = document.querySelector('[data-refresh]');
		if (rows) {
			window.setInterval(function () { refresh(rows); }, REFRESH_MILLIS);
		}
	});
})();
