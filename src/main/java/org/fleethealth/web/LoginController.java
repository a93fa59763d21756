package org.fleethealth.web;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The maintainers' login page; Spring Security handles the form's POST. */
@PageController
class LoginController {

	private final boolean publicRead;

	LoginController(FleetSecurityProperties properties) {
		this.publicRead = properties.publicRead();
	}

	@GetMapping("/login")
	String login(Model model) {
		model.addAttribute("publicRead", this.publicRead);
		return "login";
	}

}
