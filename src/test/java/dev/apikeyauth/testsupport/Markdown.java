package dev.apikeyauth.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough Markdown for the tests that read the project's documents: headings, sections,
 * fenced code blocks and link targets, the way GitHub renders them.
 */
public final class Markdown {
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)\\s*([\\w-]*).*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_LINK = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");

    private Markdown() {
    }

    /**
     * One line of a document: whether it is a fence (opening or closing a code block), whether it
     * sits inside a code block (fences included), and that block's info string.
     */
    private record Line(String text, boolean fence, boolean code, String info) {
    }

    private static List<Line> lines(String text) {
        List<Line> lines = new ArrayList<>();
        String open = null;
        String info = "";
        for (String line : text.split("\n", -1)) {
            Matcher fence = FENCE.matcher(line);
            if (open == null && fence.matches()) {
                open = fence.group(1);
                info = fence.group(2);
                lines.add(new Line(line, true, true, info));
            } else if (open != null && line.strip().equals(open)) {
                lines.add(new Line(line, true, true, info));
                open = null;
            } else {
                lines.add(new Line(line, false, open != null, open != null ? info : ""));
            }
        }
        return lines;
    }

    /** The text with fenced code blocks and inline code spans taken out: what is prose and links. */
    public static String prose(String text) {
        StringBuilder out = new StringBuilder();
        for (Line line : lines(text)) {
            if (!line.code()) {
                out.append(INLINE_CODE.matcher(line.text()).replaceAll("")).append('\n');
            }
        }
        return out.toString();
    }

    /** The targets of the inline links, images and reference definitions, in order. */
    public static List<String> linkTargets(String text) {
        String prose = prose(text);
        List<String> targets = new ArrayList<>();
        Matcher inline = INLINE_LINK.matcher(prose);
        while (inline.find()) {
            targets.add(inline.group(1));
        }
        Matcher reference = REFERENCE_LINK.matcher(prose);
        while (reference.find()) {
            targets.add(reference.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives the headings: {@code ## 2. Keys} is {@code #2-keys}. */
    public static Set<String> anchors(String text) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        Set<String> anchors = new LinkedHashSet<>();
        for (Line line : lines(text)) {
            Matcher heading = HEADING.matcher(line.text());
            if (!line.code() && heading.matches()) {
                String slug = slug(heading.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** GitHub's slug of a heading: its text, lower case, punctuation dropped, spaces to hyphens. */
    public static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /**
     * The section under the heading whose text is {@code title} (any level), up to the next
     * heading of the same or a higher level; fails if there is no such heading.
     */
    public static String section(String text, String title) {
        StringBuilder out = null;
        int level = 0;
        for (Line line : lines(text)) {
            Matcher heading = HEADING.matcher(line.text());
            boolean isHeading = !line.code() && heading.matches();
            if (out != null && isHeading && heading.group(1).length() <= level) {
                break;
            }
            if (out == null && isHeading && heading.group(2).equals(title)) {
                out = new StringBuilder();
                level = heading.group(1).length();
            }
            if (out != null) {
                out.append(line.text()).append('\n');
            }
        }
        if (out == null) {
            throw new AssertionError("no heading \"" + title + "\"");
        }
        return out.toString();
    }

    /** The contents of the fenced code blocks whose info string is {@code info} ({@code bash}...). */
    public static List<String> codeBlocks(String text, String info) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (Line line : lines(text)) {
            if (!line.code() || !line.info().equals(info)) {
                continue;
            }
            if (line.fence() && current == null) {
                current = new StringBuilder();
            } else if (line.fence()) {
                blocks.add(current.toString());
                current = null;
            } else {
                current.append(line.text()).append('\n');
            }
        }
        return blocks;
    }
}
