"""Parts of a 公文 (GB/T 9704 7): each writes one element group onto a document being written.

Formats (``render/formats``) list the parts they are made of, in order.
"""
