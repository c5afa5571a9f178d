package dev.switchboard.api;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies: 1 MiB by default ({@code SWITCHBOARD_MAX_REQUEST_BYTES}), more for catalog imports
 * ({@code SWITCHBOARD_MAX_IMPORT_BYTES}, 64 MiB). A declared length over the cap is refused before reading;
 * a chunked body is cut off as soon as it passes the cap.
 */
@Component
public class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;
    private final long maxImportBytes;

    public RequestBodyLimit(RequestBodySettings settings) {
        this.maxBytes = settings.maxRequestBytes();
        this.maxImportBytes = settings.maxImportBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = request.getRequestURI().equals("/v1/import") ? maxImportBytes : maxBytes;
        if (request.getContentLengthLong() > limit) {
            Problems.write(response, Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
                    new RequestBodyTooLargeException(limit).getMessage()));
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    /** The request with an input stream that fails once more than {@code limit} bytes have been read. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
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
                throw new RequestBodyTooLargeException(limit);
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
