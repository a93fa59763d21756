package org.fleethealth.web;

import org.springframework.web.bind.annotation.GetMapping;

/** The maintainers' login page; Spring Security handles the form's POST. */
@PageController
class LoginController {

	@GetMapping("/login")
	String login() {
		return "login";
	}

}
