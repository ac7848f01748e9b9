package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A {@code Content-Type} that names no one concrete media type is the client's mistake: {@code VALIDATION_ERROR}
 * naming the field {@code Content-Type}, before anything reads the body. Spring MVC would otherwise fail on some of
 * them with an internal error: a wildcard ({@code application/*}) on an endpoint that reads JSON throws an
 * {@link IllegalArgumentException} while choosing a converter, whatever the endpoint. Refused: text that does not
 * parse, several types, wildcards, a charset the JVM does not know, and multipart without a boundary. A type that
 * is well formed but not what the endpoint reads is left to the endpoint, which names what it accepts.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
public final class ContentTypes extends OncePerRequestFilter {
    private static final int MAX_SHOWN = 100;
    /** A charset parameter's value, quoted or not; read before parsing, which would only say "invalid". */
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getContentType();
        String mistake = header == null || header.isBlank() ? null : mistake(header.strip());
        if (mistake == null) {
            chain.doFilter(request, response);
            return;
        }
        String shown = header.length() <= MAX_SHOWN ? header : header.substring(0, MAX_SHOWN) + "…";
        ErrorResponses.write(request, response, ErrorCode.VALIDATION_ERROR, "Content-Type '" + shown + "' " + mistake
                        + "; send application/json (or multipart/form-data or text/csv where documented)",
                Map.of("field", "Content-Type"));
    }

    /** What is wrong with a Content-Type, or null when it names one concrete media type. */
    static String mistake(String header) {
        Matcher charset = CHARSET.matcher(header);
        if (charset.find() && !known(charset.group(1))) {
            return "names a charset this server does not know";
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            return "is not a media type";
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "is a pattern, not a media type";
        }
        if (type.getType().equals("multipart") && type.getParameter("boundary") == null) {
            return "has no boundary parameter, without which its parts cannot be read";
        }
        return null;
    }

    private static boolean known(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
