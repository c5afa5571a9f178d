package dev.switchboard.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * How the suite starts a gateway: plain ({@code java -jar switchboard.jar}, or this classpath in the smoke run),
 * or as the container image runs it: extracted, with the AOT cache of a training run, and with the heap sized as
 * in a container with the Helm chart's memory limit of 1 GiB.
 *
 * @param options JVM options, before the jar or main class
 * @param target  {@code -jar PATH}, or {@code -cp CLASSPATH MAIN}
 */
public record Launch(List<String> options, List<String> target) {

    /** What the image's JAVA_TOOL_OPTIONS and the chart's memory limit make of the heap. */
    private static final List<String> CONTAINER_MEMORY = List.of("-XX:MaxRAM=1g", "-XX:MaxRAMPercentage=75");

    /** {@code java -jar} on the built jar, or the main class from this classpath without one. */
    public static Launch plain(Optional<Path> jar) {
        return new Launch(List.of(), jar.map(Launch::jarTarget)
                .orElseGet(() -> classpathTarget(System.getProperty("java.class.path"))));
    }

    /**
     * Extracts the jar into {@code work} and makes its AOT cache with a training run that stops once the
     * application context is up, as the Dockerfile does. Without a jar (the smoke run), it runs this classpath with
     * each folder on it packed into a jar, since the JVM caches classes from jars only.
     */
    public static Launch asImage(Optional<Path> jar, Path work) {
        try {
            Path folder = Files.createDirectories(work.resolve("image"));
            List<String> target = jar.isPresent() ? jarTarget(extract(jar.get(), folder))
                    : classpathTarget(jarredClasspath(folder));
            Path cache = folder.resolve("switchboard.aot");
            List<String> training = new ArrayList<>(List.of(ChildProcess.javaExecutable(),
                    "-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh"));
            training.addAll(target);
            String trainingDatabase = "sqlite:///" + folder.resolve("training.db").toAbsolutePath();
            run(training, Map.of("DATABASE_URL", trainingDatabase, "SWITCHBOARD_SECRET_KEY",
                    GatewayProcess.newSecretKey()), folder.resolve("training.log"));
            if (!Files.exists(cache)) {
                throw new IllegalStateException("the training run made no AOT cache; see " + folder);
            }
            List<String> options = new ArrayList<>(List.of("-XX:AOTCache=" + cache));
            options.addAll(CONTAINER_MEMORY);
            return new Launch(List.copyOf(options), target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the image-like launch", e);
        }
    }

    /** The whole command line. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(options);
        command.addAll(target);
        return command;
    }

    private static List<String> jarTarget(Path jar) {
        return List.of("-jar", jar.toString());
    }

    private static List<String> classpathTarget(String classpath) {
        return List.of("--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.switchboard.Switchboard");
    }

    /** This JVM's classpath, with every folder on it packed into a jar in {@code folder}. */
    private static String jarredClasspath(Path folder) throws IOException {
        List<String> entries = new ArrayList<>();
        int packed = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = folder.resolve("classes-" + packed++ + ".jar");
                pack(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                // Folders get entries too: Spring finds the application's components by listing its packages.
                out.putNextEntry(new JarEntry(Files.isDirectory(file) ? name + "/" : name));
                if (!Files.isDirectory(file)) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
    }

    private static Path extract(Path jar, Path folder) {
        Path destination = folder.resolve("app");
        run(List.of(ChildProcess.javaExecutable(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--destination", destination.toString()), Map.of(), folder.resolve("extract.log"));
        return destination.resolve(jar.getFileName());
    }

    private static void run(List<String> command, Map<String, String> env, Path log) {
        try (ChildProcess process = ChildProcess.start(command, env, log)) {
            int exit = process.await(5, TimeUnit.MINUTES);
            if (exit != 0) {
                throw new IllegalStateException("the " + log.getFileName() + " step ended with " + exit
                        + "; its log:\n" + process.logText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
