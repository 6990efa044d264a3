"""Forum URLs.

`community_patterns` are mounted under each community at forum/ (see
communities.sections); their views take the community page first,
`view(community, request, **kwargs)`. `urlpatterns` (under /discussies/, in
via_platform/urls.py) serve the discussions under pages, such as practices.

`topic_patterns` serve a topic in both places: views.topic_view() loads the topic,
checks that it belongs where the URL says and that the person may read it, and calls
the view with (request, topic, ...).
"""

from django.urls import include, path

from via_platform.forums import moderation, views

topic_patterns = [
    path("", views.topic_detail),
    path("reageren/", views.reply),
    path("ongelezen/", views.first_unread),
    path("bericht/<int:number>/", views.jump_to_post),
    path("volgen/", views.watch_topic),
    path("berichten/<int:post_id>/bewerken/", views.edit_post),
    path("berichten/<int:post_id>/verwijderen/", views.delete_post),
    path("berichten/<int:post_id>/geschiedenis/", views.post_history),
    path("berichten/<int:post_id>/accepteren/", views.accept_answer),
    path("berichten/<int:post_id>/melden/", views.flag_post),
    path("berichten/<int:post_id>/afbeeldingen/<int:image_id>/", views.post_image),
    path("moderatie/", moderation.topic_action),
    path("moderatie/berichten/<int:post_id>/", moderation.post_action),
]

community_patterns = [
    path("", views.forum_index),
    path("nieuw/", views.new_topic),
    path("volgen/", views.watch_forum),
    path("alles-gelezen/", views.mark_all_read),
    path("leden-zoeken/", views.mention_lookup),
    path("moderatie/", moderation.queue),
    path("moderatie/logboek/", moderation.log),
    path("moderatie/leden/<int:user_id>/", moderation.member),
    path("<int:topic_id>/", include(topic_patterns)),
]

urlpatterns = [
    path("pagina/<int:page_id>/reageren/", views.page_reply),
    path("<int:topic_id>/", include(topic_patterns)),
]
