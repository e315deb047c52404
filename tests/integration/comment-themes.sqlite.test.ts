import { describeCommentThemes } from "./comment-themes.shared";

describeCommentThemes("sqlite");
