package io.rollcall.ingress.http;

import io.rollcall.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than its endpoint's limit ({@link BodyLimits}; {@code REQUEST_TOO_LARGE}, 413). A
 * declared {@code Content-Length} over the limit is refused before anything is read; a body without one (chunked)
 * is read through a counter that stops at the limit, since the servlet container caps only form and multipart
 * bodies. Ordered ahead of Spring's own filters, which may read form bodies.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public final class BodyLimit extends OncePerRequestFilter {
    /** Request attribute holding the limit, set once a body without a declared length went past it. */
    static final String EXCEEDED = "rollcall.bodyLimitExceeded";

    private final BodyLimits limits;

    public BodyLimit(IngressSettings settings) {
        this.limits = settings.bodyLimits();
    }

    /** Whether this request's body was cut off at the limit (whatever exception reading it then raised). */
    static boolean exceeded(HttpServletRequest request) {
        return request.getAttribute(EXCEEDED) != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long maxBytes = limits.of(request.getMethod(), ApiPaths.of(request));
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            ErrorResponses.write(request, response, ErrorCode.REQUEST_TOO_LARGE,
                    "Request body is " + length + " bytes; the limit is " + maxBytes, Map.of("bytes", length, "limit", maxBytes));
            return;
        }
        if (length >= 0) {
            chain.doFilter(request, response); // the container reads no further than the declared length
            return;
        }
        try {
            chain.doFilter(new CappedBody(request, maxBytes), response);
        } catch (IOException | ServletException | RuntimeException e) {
            // A filter that reads the body (Spring's FormContentFilter) fails on the cap before any handler runs.
            if (!exceeded(request) || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            ErrorResponses.write(request, response, ErrorCode.REQUEST_TOO_LARGE,
                    "Request body is larger than the limit of " + maxBytes + " bytes", Map.of("limit", maxBytes));
        }
    }

    /** The request with its body stream counting bytes and failing past the limit. */
    private static final class CappedBody extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        CappedBody(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        private final class CountingStream extends ServletInputStream {
            private final ServletInputStream in;
            private long read;

            CountingStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > limit) {
                    setAttribute(EXCEEDED, limit);
                    throw new IOException("request body is larger than the limit of " + limit + " bytes");
                }
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
