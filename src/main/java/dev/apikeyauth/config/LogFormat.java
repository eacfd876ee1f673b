package dev.apikeyauth.config;

/** How log lines are written: readable text, or one JSON object a line for a log pipeline. */
public enum LogFormat {
    TEXT, JSON
}
