package org.fleethealth.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, for stored reply-link hashes and stable message keys. */
public final class Hashes {

	private Hashes() {
	}

	/** The SHA-256 of a text's UTF-8 bytes, as 64 lower-case hex digits. */
	public static String sha256(String text) {
		return HexFormat.of().formatHex(sha256Bytes(text));
	}

	/** The SHA-256 of a text's UTF-8 bytes. */
	public static byte[] sha256Bytes(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

}
